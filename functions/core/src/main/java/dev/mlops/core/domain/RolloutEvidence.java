package dev.mlops.core.domain;

import java.time.Instant;

/**
 * What live traffic says about a rollout's challenger against production, as the scheduled check reads it from the
 * captured requests since the rollout started: both versions' answers to the same requests (one answered, the
 * other scored off the request path), and the ground truth that came back for them. Every rate and score comes
 * with its 95 % interval; a figure that has no data is null.
 *
 * @param windowStart        captures written after this (the rollout's start)
 * @param windowEnd          and at or before this
 * @param productionRequests requests production answered without the challenger (canary: the other share)
 * @param challengerRequests requests the challenger answered (canary) or scored (shadow), failures included
 * @param challengerErrors   those it failed: its version could not be loaded, or it could not score the request
 * @param errorRate          {@code challengerErrors / challengerRequests} (Wilson interval)
 * @param compared           rows (instances) both versions answered
 * @param agreement          the share of compared rows they answered alike (Wilson interval)
 * @param predictionDrift    Jensen-Shannon distance (base 2) between the two versions' answers over the compared
 *                           rows (percentile bootstrap interval)
 * @param metric             the live metric ({@code accuracy}, ...; the task's)
 * @param labelled           compared rows that got a ground-truth label
 * @param challengerScore    the challenger's live metric on them (percentile bootstrap interval)
 * @param productionScore    production's on the same rows
 * @param gain               the challenger's score minus production's, signed so that above 0 is better (the same
 *                           bootstrap, resampling the rows in pairs)
 */
public record RolloutEvidence(Instant windowStart, Instant windowEnd, long productionRequests, long challengerRequests,
                              long challengerErrors, Estimate errorRate, long compared, Estimate agreement,
                              Estimate predictionDrift, String metric, long labelled, Estimate challengerScore,
                              Estimate productionScore, Estimate gain) {

    /**
     * A figure with its 95 % interval.
     *
     * @param value the estimate
     * @param low   the interval's lower end
     * @param high  its upper end
     */
    public record Estimate(double value, double low, double high) {

        /** {@code 0.931 (0.902-0.953)}. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "%.3f (95%% interval %.3f-%.3f)", value, low, high);
        }
    }
}
