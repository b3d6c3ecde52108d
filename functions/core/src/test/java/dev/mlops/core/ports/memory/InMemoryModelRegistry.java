package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.ports.ModelRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** {@link ModelRegistry} in memory, with the same conditions as the real one. */
public final class InMemoryModelRegistry implements ModelRegistry {

    private final Map<String, TreeMap<Integer, ModelVersion>> versions = new HashMap<>();
    private final Map<String, Integer> aliases = new HashMap<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final Map<String, Rollout> rollouts = new HashMap<>();
    private final Clock clock;

    public InMemoryModelRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ModelVersion register(ModelVersion draft) {
        TreeMap<Integer, ModelVersion> all = versions.computeIfAbsent(draft.model(), m -> new TreeMap<>());
        ModelVersion v = draft.numbered(all.isEmpty() ? 1 : all.lastKey() + 1, clock.instant());
        all.put(v.version(), v);
        return v;
    }

    @Override
    public synchronized Optional<ModelVersion> find(String model, int version) {
        return Optional.ofNullable(versions.getOrDefault(model, new TreeMap<>()).get(version));
    }

    @Override
    public synchronized List<ModelVersion> versions(String model) {
        return List.copyOf(versions.getOrDefault(model, new TreeMap<>()).values());
    }

    @Override
    public synchronized Optional<Integer> alias(String model, String alias) {
        return Optional.ofNullable(aliases.get(model + "#" + alias));
    }

    @Override
    public synchronized boolean moveAlias(String model, String alias, int version, Integer expected) {
        String key = model + "#" + alias;
        if (!Objects.equals(aliases.get(key), expected)) {
            return false;
        }
        aliases.put(key, version);
        return true;
    }

    @Override
    public synchronized Optional<Rollout> rollout(String model) {
        return Optional.ofNullable(rollouts.get(model));
    }

    @Override
    public synchronized boolean putRollout(Rollout next) {
        Rollout stored = rollouts.get(next.model());
        int storedRevision = stored == null ? 0 : stored.revision();
        if (storedRevision != next.revision() - 1) {
            return false;
        }
        rollouts.put(next.model(), next);
        return true;
    }

    @Override
    public synchronized Map<String, Integer> modelsWithAlias(String alias) {
        Map<String, Integer> out = new TreeMap<>();
        aliases.forEach((k, v) -> {
            if (k.endsWith("#" + alias)) {
                out.put(k.substring(0, k.length() - alias.length() - 1), v);
            }
        });
        return out;
    }

    @Override
    public synchronized List<String> models() {
        return versions.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public synchronized List<ModelVersion> versionsTrainedOn(String dataset, String datasetVersion) {
        return versions.keySet().stream().sorted().flatMap(m -> versions.get(m).values().stream())
                .filter(v -> dataset.equals(v.lineage().dataset()) && datasetVersion.equals(v.lineage().datasetVersion()))
                .toList();
    }

    @Override
    public synchronized boolean setApproval(String model, int version, Approval approval, ApprovalStatus expected) {
        ModelVersion v = find(model, version).orElse(null);
        if (v == null || !Objects.equals(v.approval() == null ? null : v.approval().status(), expected)) {
            return false;
        }
        versions.get(model).put(version, v.withApproval(approval));
        return true;
    }

    @Override
    public synchronized boolean tag(String model, int version, String key, String value) {
        ModelVersion v = find(model, version).orElse(null);
        if (v == null) {
            return false;
        }
        versions.get(model).put(version, v.withTag(key, value));
        return true;
    }

    @Override
    public synchronized void audit(AuditEntry entry) {
        audit.add(entry);
    }

    @Override
    public synchronized List<AuditEntry> auditTrail(String model) {
        return audit.stream().filter(e -> e.model().equals(model)).toList();
    }
}
