package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.ports.DatasetCatalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link DatasetCatalog} in memory. */
public final class InMemoryDatasetCatalog implements DatasetCatalog {

    private final Map<String, DatasetVersion> versions = new ConcurrentHashMap<>();
    private final Map<String, UploadOutcome> uploads = new ConcurrentHashMap<>();

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

    @Override
    public boolean recordUpload(UploadOutcome outcome) {
        boolean[] written = {false};
        uploads.compute(outcome.key() + "\u0000" + outcome.versionId(), (k, before) -> {
            if (before != null && !before.status().replaceable()) {
                return before;
            }
            written[0] = true;
            return outcome;
        });
        return written[0];
    }

    @Override
    public Optional<UploadOutcome> findUpload(String key, String versionId) {
        return Optional.ofNullable(uploads.get(key + "\u0000"
                + (versionId == null || versionId.isBlank() ? UploadOutcome.UNVERSIONED : versionId)));
    }

    @Override
    public List<UploadOutcome> uploads(String dataset) {
        return uploads.values().stream().filter(u -> u.dataset().equals(dataset))
                .sorted(Comparator.comparing(UploadOutcome::recordedAt)).toList();
    }
}
