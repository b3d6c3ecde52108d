package dev.mlops.core.domain;

import java.time.Instant;
import java.util.List;

/**
 * What one drift check saw and concluded. {@code windowEnd} is where the next check starts.
 *
 * @param model           model checked
 * @param checkId         time-ordered id
 * @param modelVersion    the production version checked
 * @param windowStart     start of the window (exclusive): captures are chosen by the time their batch was written
 * @param windowEnd       end of the window (inclusive)
 * @param samples         captured rows compared
 * @param driftDetected   whether the verdict is DRIFTED
 * @param driftedFeatures features that drifted
 * @param reportKey       the full report ({@code drift.json})
 * @param verdict         DRIFTED, NO_DRIFT or NOT_ENOUGH_DATA (null for checks recorded before verdicts existed)
 * @param quality         the live quality verdict: OK, DEGRADED, NOT_ENOUGH_DATA or NO_FEEDBACK (idem)
 * @param retraining      what the check did about retraining (idem; null when nothing was asked)
 * @param reportHtmlKey   the report as a web page ({@code drift.html}; idem)
 */
public record DriftCheck(String model, String checkId, int modelVersion, Instant windowStart, Instant windowEnd,
                         long samples, boolean driftDetected, List<String> driftedFeatures, String reportKey,
                         String verdict, String quality, Retraining retraining, String reportHtmlKey) {

    public DriftCheck {
        driftedFeatures = driftedFeatures == null ? List.of() : List.copyOf(driftedFeatures);
    }

    /** A check as recorded before verdicts, quality and retraining existed. */
    public DriftCheck(String model, String checkId, int modelVersion, Instant windowStart, Instant windowEnd,
                      long samples, boolean driftDetected, List<String> driftedFeatures, String reportKey) {
        this(model, checkId, modelVersion, windowStart, windowEnd, samples, driftDetected, driftedFeatures, reportKey,
                null, null, null, null);
    }

    /**
     * What a check did about retraining.
     *
     * @param status         {@code REQUESTED} (a retraining upload was written; ingest validates it and starts the
     *                       run), {@code STARTED} (a run on the latest accepted version was started), {@code
     *                       COOL_DOWN} (another check started one less than the cool-down ago), {@code NO_NEW_DATA}
     *                       (nothing to train on that production was not trained on), {@code DISABLED} or {@code
     *                       FAILED}
     * @param runId          the run (started, or the one ingest starts for the upload)
     * @param datasetVersion the dataset version it trains on
     * @param upload         the retraining upload ({@code incoming/<dataset>/retrain-<check>.csv}), if one
     * @param labelledRows   labelled captured rows added to the latest accepted version
     * @param reason         in one sentence
     */
    public record Retraining(String status, String runId, String datasetVersion, String upload, long labelledRows,
                             String reason) {
    }
}
