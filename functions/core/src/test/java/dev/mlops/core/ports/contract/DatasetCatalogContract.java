package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.ports.DatasetCatalog;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link DatasetCatalog} promises. */
public abstract class DatasetCatalogContract {

    protected abstract DatasetCatalog catalog();

    @Test
    void record_shouldKeepTheFirstWriteAndRoundTripEveryField() {
        // GIVEN
        String dataset = Fixtures.unique("ds");
        DatasetVersion first = Fixtures.dataset(dataset, "aa".repeat(32), Instant.parse("2026-11-27T10:00:00.5Z"));
        // WHEN
        boolean recorded = catalog().record(first);
        boolean again = catalog().record(Fixtures.dataset(dataset, "aa".repeat(32), Instant.parse("2026-11-28T00:00:00Z")));
        // THEN
        assertThat(recorded).isTrue();
        assertThat(again).isFalse();
        assertThat(catalog().find(dataset, "aa".repeat(32))).contains(first);
        assertThat(catalog().find(dataset, "bb".repeat(32))).isEmpty();
    }

    @Test
    void versions_shouldListADatasetsVersionsOldestFirst() {
        // GIVEN
        String dataset = Fixtures.unique("ds");
        catalog().record(Fixtures.dataset(dataset, "bb".repeat(32), Instant.parse("2026-11-27T11:00:00Z")));
        catalog().record(Fixtures.dataset(dataset, "aa".repeat(32), Instant.parse("2026-11-27T10:00:00Z")));
        catalog().record(Fixtures.dataset(Fixtures.unique("other"), "cc".repeat(32), Instant.parse("2026-11-27T09:00:00Z")));
        // WHEN / THEN
        assertThat(catalog().versions(dataset)).extracting(DatasetVersion::version)
                .containsExactly("aa".repeat(32), "bb".repeat(32));
    }

    @Test
    void datasets_shouldNameEachDatasetOnceSorted() {
        // GIVEN two versions of one dataset and one of another
        String b = Fixtures.unique("zz-ds");
        String a = Fixtures.unique("aa-ds");
        catalog().record(Fixtures.dataset(b, "aa".repeat(32), Instant.parse("2026-11-27T10:00:00Z")));
        catalog().record(Fixtures.dataset(b, "bb".repeat(32), Instant.parse("2026-11-27T11:00:00Z")));
        catalog().record(Fixtures.dataset(a, "cc".repeat(32), Instant.parse("2026-11-27T12:00:00Z")));
        // WHEN
        java.util.List<String> names = catalog().datasets();
        // THEN
        assertThat(names).containsOnlyOnce(a, b).isSorted();
    }

    private static UploadOutcome upload(String key, String versionId, UploadStatus status, int attempts, Instant at) {
        return new UploadOutcome(key, versionId, dev.mlops.core.Layout.uploadFolder(key), status, "because " + status,
                "ab".repeat(32), "m", "run-1", 3, "datasets/x/validation.json", "datasets/x/report.html", attempts, at);
    }

    @Test
    void recordUpload_shouldRoundTripEveryField_andKeyByKeyAndVersionId() {
        // GIVEN two versions of one key (one of them with a character that needs care in a key)
        String key = "incoming/" + Fixtures.unique("ds") + "/a b+ü.csv";
        UploadOutcome first = upload(key, "v1", UploadStatus.VALID, 0, Instant.parse("2026-11-27T10:00:00.5Z"));
        UploadOutcome second = upload(key, "v2", UploadStatus.INVALID, 1, Instant.parse("2026-11-27T10:00:01Z"));
        // WHEN
        boolean recorded = catalog().recordUpload(first);
        catalog().recordUpload(second);
        // THEN
        assertThat(recorded).isTrue();
        assertThat(catalog().findUpload(key, "v1")).contains(first);
        assertThat(catalog().findUpload(key, "v2")).contains(second);
        assertThat(catalog().findUpload(key, "v3")).isEmpty();
    }

    @Test
    void recordUpload_shouldKeepAnOutcomeOfTheBytes_butReplaceAFailedDelivery() {
        // GIVEN an upload whose first attempt failed
        String key = "incoming/" + Fixtures.unique("ds") + "/f.csv";
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        assertThat(catalog().recordUpload(upload(key, "v1", UploadStatus.RETRYING, 1, t))).isTrue();
        assertThat(catalog().recordUpload(upload(key, "v1", UploadStatus.FAILED_DELIVERY, 3, t.plusSeconds(1)))).isTrue();
        // WHEN a redrive settles it, then a late duplicate of the failed attempt comes
        boolean settled = catalog().recordUpload(upload(key, "v1", UploadStatus.VALID, 3, t.plusSeconds(2)));
        boolean late = catalog().recordUpload(upload(key, "v1", UploadStatus.FAILED_DELIVERY, 4, t.plusSeconds(3)));
        boolean other = catalog().recordUpload(upload(key, "v1", UploadStatus.DUPLICATE, 0, t.plusSeconds(4)));
        // THEN the outcome of the bytes stays
        assertThat(settled).isTrue();
        assertThat(late).isFalse();
        assertThat(other).isFalse();
        assertThat(catalog().findUpload(key, "v1")).hasValueSatisfying(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.VALID);
            assertThat(u.attempts()).isEqualTo(3);
        });
    }

    @Test
    void uploads_shouldListAFoldersUploadsOldestFirst_includingOnesWithoutAVersionId() {
        // GIVEN
        String dataset = Fixtures.unique("ds");
        catalog().recordUpload(upload("incoming/" + dataset + "/b.csv", null, UploadStatus.REJECTED, 0,
                Instant.parse("2026-11-27T11:00:00Z")));
        catalog().recordUpload(upload("incoming/" + dataset + "/a.csv", "v1", UploadStatus.VALID, 0,
                Instant.parse("2026-11-27T10:00:00Z")));
        catalog().recordUpload(upload("incoming/" + Fixtures.unique("other") + "/a.csv", "v1", UploadStatus.VALID, 0,
                Instant.parse("2026-11-27T09:00:00Z")));
        // WHEN
        java.util.List<UploadOutcome> uploads = catalog().uploads(dataset);
        // THEN
        assertThat(uploads).extracting(UploadOutcome::key)
                .containsExactly("incoming/" + dataset + "/a.csv", "incoming/" + dataset + "/b.csv");
        assertThat(catalog().findUpload("incoming/" + dataset + "/b.csv", null)).hasValueSatisfying(u ->
                assertThat(u.versionId()).isEqualTo(UploadOutcome.UNVERSIONED));
    }
}
