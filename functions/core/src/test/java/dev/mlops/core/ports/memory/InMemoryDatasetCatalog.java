package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.ports.DatasetCatalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link DatasetCatalog} in memory. */
public final class InMemoryDatasetCatalog implements DatasetCatalog {

    private final Map<String, DatasetVersion> versions = new ConcurrentHashMap<>();

    @Override
    public boolean record(DatasetVersion v) {
        return versions.putIfAbsent(v.dataset() + "/" + v.version(), v) == null;
    }

    @Override
    public Optional<DatasetVersion> find(String dataset, String version) {
        return Optional.ofNullable(versions.get(dataset + "/" + version));
    }

    @Override
    public List<DatasetVersion> versions(String dataset) {
        return versions.values().stream().filter(v -> v.dataset().equals(dataset))
                .sorted(Comparator.comparing(DatasetVersion::createdAt)).toList();
    }

    @Override
    public List<String> datasets() {
        return versions.values().stream().map(DatasetVersion::dataset).distinct().sorted().toList();
    }
}
