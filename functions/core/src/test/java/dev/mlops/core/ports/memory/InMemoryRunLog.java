package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ports.RunLog;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RunLog} in memory, with the same conditions as the real one. */
public final class InMemoryRunLog implements RunLog {

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryRunLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean start(Run run) {
        return runs.putIfAbsent(run.runId(), run) == null;
    }

    @Override
    public Optional<Run> find(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public boolean end(String runId, RunEnding ending) {
        boolean[] ended = {false};
        runs.computeIfPresent(runId, (id, run) -> {
            if (run.status() != RunStatus.RUNNING) {
                return run;
            }
            ended[0] = true;
            return run.ended(ending, clock.instant());
        });
        return ended[0];
    }

    @Override
    public List<Run> running() {
        return runs.values().stream().filter(r -> r.status() == RunStatus.RUNNING)
                .sorted(Comparator.comparing(Run::startedAt)).toList();
    }

    @Override
    public List<Run> recent(String dataset, int limit) {
        return runs.values().stream().filter(r -> dataset == null || dataset.equals(r.dataset()))
                .sorted(Comparator.comparing(Run::startedAt).thenComparing(Run::runId).reversed())
                .limit(Math.max(1, limit)).toList();
    }
}
