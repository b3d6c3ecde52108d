package dev.mlops.core.ports.memory;

import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.PipelineLauncher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link PipelineLauncher} that records what it was asked to start; a name starts once, as on Step Functions. */
public final class RecordingLauncher implements PipelineLauncher {

    private final Map<String, RunRequest> started = new LinkedHashMap<>();

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
}
