package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.DatasetVersion;
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
}
