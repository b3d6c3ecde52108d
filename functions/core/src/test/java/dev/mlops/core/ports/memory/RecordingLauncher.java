package dev.mlops.core.ports.memory;

import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.PipelineLauncher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PipelineLauncher} that records what it was asked to start; a name starts once, as on Step Functions. Its
 * executions run until a test ends them ({@link #end}).
 */
public final class RecordingLauncher implements PipelineLauncher {

    private final Map<String, RunRequest> started = new LinkedHashMap<>();
    private final Map<String, Execution> ended = new LinkedHashMap<>();

    @Override
    public String executionIdFor(String runId) {
        return "arn:aws:states:us-east-1:000000000000:execution:test:" + runId;
    }

    @Override
    public synchronized Launch start(RunRequest request) {
        boolean again = started.putIfAbsent(request.runId(), request) != null;
        return new Launch(executionIdFor(request.runId()), again);
    }

    /** The requests started, in order. */
    public synchronized List<RunRequest> started() {
        return new ArrayList<>(started.values());
    }

    @Override
    public synchronized Optional<Execution> describe(String executionId) {
        String runId = executionId.substring(executionId.lastIndexOf(':') + 1);
        if (!started.containsKey(runId)) {
            return Optional.empty();
        }
        return Optional.of(ended.getOrDefault(runId, new Execution(executionId, ExecutionStatus.RUNNING, null, null,
                null)));
    }

    /** Ends the execution of a started run, as Step Functions would (stopped, timed out, failed). */
    public synchronized void end(String runId, ExecutionStatus status, String error, String cause) {
        if (!started.containsKey(runId)) {
            throw new IllegalStateException("no execution " + runId + " was started");
        }
        ended.put(runId, new Execution(executionIdFor(runId), status, error, cause, Instant.EPOCH));
    }
}
