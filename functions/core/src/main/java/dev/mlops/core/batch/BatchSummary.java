package dev.mlops.core.batch;

import java.util.Map;

/**
 * A finished job's summary ({@code summary.json}): counts that add up ({@code rows = scored + errors}), the model
 * version, where the output is, the distribution of predictions and the timings.
 *
 * @param model       the model
 * @param job         the job
 * @param version     the model version used
 * @param input       the input key
 * @param output      the joined CSV's key
 * @param rows        rows in the input
 * @param scored      rows with a prediction
 * @param errors      rows with an error instead
 * @param predictions rows per predicted label
 * @param parts       parts scored
 * @param timings     planning, the parts (sum, slowest), joining and the whole job, in milliseconds
 * @param contributions how the rows' {@code contributions} column was computed ({@code --explain}: the
 *                    {@link dev.mlops.core.model.explain.Explainer} method, e.g. {@code linear}); null without
 */
public record BatchSummary(String model, String job, int version, String input, String output, long rows,
                           long scored, long errors, Map<String, Long> predictions, int parts, Timings timings,
                           String contributions) {

    /**
     * Where a job's time went.
     *
     * @param planMillis     planning the parts
     * @param partMillisSum  all parts' scoring, added up
     * @param partMillisMax  the slowest part
     * @param joinMillis     joining the parts and writing the summary
     * @param totalMillis    from planning to the summary
     */
    public record Timings(long planMillis, long partMillisSum, long partMillisMax, long joinMillis, long totalMillis) {
    }
}
