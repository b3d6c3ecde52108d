package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link DriftCheckLog} in memory. */
public final class InMemoryDriftCheckLog implements DriftCheckLog {

    private final List<DriftCheck> checks = new ArrayList<>();

    @Override
    public synchronized void record(DriftCheck check) {
        checks.add(check);
    }

    @Override
    public synchronized Optional<DriftCheck> latest(String model) {
        return checks.stream().filter(c -> c.model().equals(model)).max(Comparator.comparing(DriftCheck::checkId));
    }
}
