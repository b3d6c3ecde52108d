package dev.mlops.core.monitoring;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Verdict;

import java.time.Instant;

/**
 * One drift check, written as {@code monitoring/<model>/<check>/drift.json} (and rendered as {@code drift.html}).
 *
 * @param model              the model
 * @param modelVersion       its production version, whose training profile is the reference
 * @param checkId            the check
 * @param windowStart        captures written after this (exclusive; the previous check's end)
 * @param windowEnd          and at or before this: the check's time minus the settle time
 * @param qualityWindowStart the window joined with ground truth (the drift window, {@code label_delay_minutes}
 *                           earlier)
 * @param qualityWindowEnd   its end
 * @param baseline           the reference profile's key
 * @param verdict            the data drift verdict (the same as {@code drift.verdict})
 * @param reason             the verdict in one sentence
 * @param drift              per column and for the dataset
 * @param quality            live quality from the ground truth
 * @param retraining         what the check did about retraining (null when the verdicts asked for nothing)
 * @param read               what the pass read
 * @param config             where the rule came from ({@code schemas/<dataset>/config.json}, or the defaults and
 *                           why)
 * @param elapsedMillis      how long the check took
 * @param rollout            what the check decided about the model's rollout, on which evidence (null: none under
 *                           way)
 */
public record DriftReport(String model, int modelVersion, String checkId, Instant windowStart, Instant windowEnd,
                          Instant qualityWindowStart, Instant qualityWindowEnd, String baseline, Verdict verdict,
                          String reason, DriftResult drift, LiveQuality quality, DriftCheck.Retraining retraining,
                          Read read, String config, long elapsedMillis, RolloutDecision rollout) {

    /**
     * What the check's single pass read.
     *
     * @param objects           capture batches read
     * @param records           captured requests
     * @param rows              rows in the drift window
     * @param bytes             bytes read (compressed)
     * @param unreadableObjects batches that could not be read whole (named in {@code unreadable_example})
     * @param unreadableExample the first one and why
     * @param feedbackLabels    ground-truth labels received for the quality window
     * @param feedbackDropped   labels over the check's limit, not joined
     * @param labelledDropped   labelled rows over the check's limit, not joined
     * @param feedbackUnreadable feedback objects that could not be read (their labels are not joined)
     */
    public record Read(long objects, long records, long rows, long bytes, long unreadableObjects,
                       String unreadableExample, long feedbackLabels, long feedbackDropped, long labelledDropped,
                       long feedbackUnreadable) {
    }
}
