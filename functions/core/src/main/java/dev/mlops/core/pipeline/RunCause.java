package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;

/**
 * Why a run was started by the pipeline itself rather than by an upload: the drift check that asked for it.
 * It travels as object metadata on the retraining upload ({@code cause-check}, {@code cause-verdict},
 * {@code cause-report}) into the run's request, so {@code runs show} and the registry's records name it.
 *
 * @param checkId the drift check
 * @param verdict what it concluded: {@code DRIFTED}, {@code DEGRADED} or both ({@code DRIFTED+DEGRADED})
 * @param report  its report ({@code monitoring/<model>/<check>/drift.json})
 */
public record RunCause(String checkId, String verdict, String report) {

    public RunCause {
        ContractException.required(checkId, "check_id");
        ContractException.required(verdict, "verdict");
    }
}
