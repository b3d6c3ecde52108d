package dev.mlops.core.domain;

import java.time.Instant;
import java.util.List;

/**
 * What one drift check saw and concluded. {@code windowEnd} is where the next check starts.
 *
 * @param model           model checked
 * @param checkId         time-ordered id
 * @param modelVersion    the production version checked
 * @param windowStart     start of the window (exclusive)
 * @param windowEnd       end of the window (inclusive)
 * @param samples         captured rows compared
 * @param driftDetected   the verdict
 * @param driftedFeatures features that drifted
 * @param reportKey       the full report
 */
public record DriftCheck(String model, String checkId, int modelVersion, Instant windowStart, Instant windowEnd,
                         long samples, boolean driftDetected, List<String> driftedFeatures, String reportKey) {

    public DriftCheck {
        driftedFeatures = driftedFeatures == null ? List.of() : List.copyOf(driftedFeatures);
    }
}
