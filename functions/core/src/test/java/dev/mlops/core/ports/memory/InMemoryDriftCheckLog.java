package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DriftCheckLog} in memory. */
public final class InMemoryDriftCheckLog implements DriftCheckLog {

    private final List<DriftCheck> checks = new ArrayList<>();
    private final Map<String, RetrainingClaim> claims = new HashMap<>();

    @Override
    public synchronized void record(DriftCheck check) {
        checks.removeIf(c -> c.model().equals(check.model()) && c.checkId().equals(check.checkId()));
        checks.add(check);
    }

    @Override
    public synchronized Optional<DriftCheck> latest(String model) {
        return checks.stream().filter(c -> c.model().equals(model)).max(Comparator.comparing(DriftCheck::checkId));
    }

    @Override
    public synchronized List<DriftCheck> history(String model, int limit) {
        return checks.stream().filter(c -> c.model().equals(model))
                .sorted(Comparator.comparing(DriftCheck::checkId).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized Optional<RetrainingClaim> claimRetraining(String model, String checkId, Instant at,
                                                                   Instant notBefore) {
        RetrainingClaim held = claims.get(model);
        if (held == null || !held.claimedAt().isAfter(notBefore) || held.checkId().equals(checkId)) {
            claims.put(model, new RetrainingClaim(model, checkId, at));
            return Optional.empty();
        }
        return Optional.of(held);
    }

    @Override
    public synchronized void releaseRetraining(String model, String checkId) {
        RetrainingClaim held = claims.get(model);
        if (held != null && held.checkId().equals(checkId)) {
            claims.remove(model);
        }
    }
}
