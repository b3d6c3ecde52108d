package dev.mlops.core.domain;

import dev.mlops.core.pipeline.RunRequest;

import java.time.Instant;
import java.util.Objects;

/**
 * One training pipeline run: one state machine execution, named by the run id.
 *
 * @param runId             the run id, which is also the execution name
 * @param dataset           dataset trained on
 * @param datasetVersion    its version
 * @param model             model the run registers a version of
 * @param status            where it stands
 * @param executionId       the execution's ARN
 * @param attempt           1 for the first attempt, n for the (n-1)th retry
 * @param retryOf           the run this attempt retries, null for a first attempt
 * @param startedAt         when the run was recorded
 * @param endedAt           when it ended, null while running
 * @param version           the model version it registered, if it got that far
 * @param productionVersion production when it ended
 * @param reason            why it ended as it did (blessing verdict, champion moved)
 * @param error             the error name the state machine caught (FAILED)
 * @param cause             the error's cause (FAILED)
 * @param request           the execution input, so that a retry runs exactly the same request
 */
public record Run(String runId, String dataset, String datasetVersion, String model, RunStatus status,
                  String executionId, int attempt, String retryOf, Instant startedAt, Instant endedAt,
                  Integer version, Integer productionVersion, String reason, String error, String cause,
                  RunRequest request) {

    public Run {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** A run that has just started. */
    public static Run started(RunRequest request, String executionId, int attempt, String retryOf, Instant now) {
        return new Run(request.runId(), request.dataset(), request.datasetVersion(), request.model(), RunStatus.RUNNING,
                executionId, attempt, retryOf, now, null, null, null, null, null, null, request);
    }

    /** This run as it ends. */
    public Run ended(RunEnding ending, Instant now) {
        return new Run(runId, dataset, datasetVersion, model, ending.status(), executionId, attempt, retryOf, startedAt,
                now, ending.version() != null ? ending.version() : version,
                ending.productionVersion() != null ? ending.productionVersion() : productionVersion,
                ending.reason(), ending.error(), ending.cause(), request);
    }
}
