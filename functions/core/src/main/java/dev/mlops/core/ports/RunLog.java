package dev.mlops.core.ports;

import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;

import java.util.List;
import java.util.Optional;

/** Pipeline runs. */
public interface RunLog {

    /** Records a started run unless one with its id exists; false for a duplicate. */
    boolean start(Run run);

    Optional<Run> find(String runId);

    /**
     * Ends a run, only if it exists and is RUNNING: a finished run is never rewritten.
     *
     * @return false when there is no such RUNNING run: nothing was changed
     */
    boolean end(String runId, RunEnding ending);

    /** Every RUNNING run, oldest first: what reconciliation checks against the executions. */
    List<Run> running();

    /**
     * The most recent runs, newest first (by start time, then run id).
     *
     * @param dataset only this dataset's runs; null for every dataset
     * @param limit   at most this many (at least 1)
     */
    List<Run> recent(String dataset, int limit);
}
