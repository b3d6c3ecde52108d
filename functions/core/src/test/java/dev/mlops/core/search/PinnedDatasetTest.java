package dev.mlops.core.search;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.Layout;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import dev.mlops.core.train.Evaluation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinnedDatasetTest {

    private final PipelineHarness p = new PipelineHarness();

    @Test
    void theHeadOfAnUpload_shouldBeItsFirstRows_andHoldTheSameFirstTestRowsAsTheWholeFile() {
        // GIVEN wine uploaded and validated
        String run = p.upload("wine", Datasets.read("wine")).runId();
        SourceObject source = p.request(run).source();
        CsvTable whole = PinnedDataset.load(p.store, source);
        // WHEN its first 100 rows are read
        CsvTable head = PinnedDataset.head(p.store, source, 100);
        // THEN they are the whole file's first 100 rows, under the same header
        assertThat(head.header()).isEqualTo(whole.header());
        assertThat(head.rows()).hasSize(100).isEqualTo(whole.rows().subList(0, 100));
        // AND the test rows found in it are the whole file's first test rows (what permutation importance measures)
        Schema schema = p.store.findJson(Layout.validatedSchema("wine", p.request(run).datasetVersion()), Schema.class)
                .orElseThrow();
        SplitSpec split = SplitSpec.rowHash(42, 0.2);
        var inHead = Evaluation.testRows(head, schema, split);
        assertThat(inHead).isNotEmpty().isEqualTo(Evaluation.testRows(whole, schema, split).subList(0, inHead.size()));
        // AND a head longer than the file is the whole file
        assertThat(PinnedDataset.head(p.store, source, 1_000_000).rows()).isEqualTo(whole.rows());
    }

    @Test
    void theHeadOfAMissingUpload_shouldFailNamingIt() {
        SourceObject gone = new SourceObject(p.store.bucket(), "incoming/x/gone.csv", null, "0".repeat(64));
        assertThatThrownBy(() -> PinnedDataset.head(p.store, gone, 10)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("incoming/x/gone.csv no longer exists");
    }
}
