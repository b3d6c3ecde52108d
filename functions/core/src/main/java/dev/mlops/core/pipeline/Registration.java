package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Output of {@code register}: the new version and the verdict against the champion.
 *
 * @param model           model name
 * @param version         the registered version
 * @param blessed         the verdict
 * @param reason          why
 * @param championVersion the champion the verdict was made against (null: none), which the
 *                        promotion must still find in production; always written, null included,
 *                        because the state machine passes it on by path
 * @param metric          the compared metric
 * @param challengerScore the new version's score on the compared rows
 * @param championScore   the champion's score on the same rows
 * @param comparedRows    rows neither model trained on
 */
public record Registration(String model, int version, boolean blessed, String reason,
                           @JsonInclude(JsonInclude.Include.ALWAYS) Integer championVersion,
                           String metric, Double challengerScore, Double championScore, Integer comparedRows) {
}
