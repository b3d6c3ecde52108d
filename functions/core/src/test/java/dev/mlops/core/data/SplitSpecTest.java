package dev.mlops.core.data;

import dev.mlops.core.testing.Datasets;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitSpecTest {

    private static Set<List<String>> rows(CsvTable t, Schema s, List<Integer> indices) {
        int[] columns = SplitSpec.columns(t, s);
        Set<List<String>> out = new HashSet<>();
        indices.forEach(i -> out.add(SplitSpec.cells(t.rows().get(i), columns)));
        return out;
    }

    @Test
    void split_shouldBeDisjointCompleteAndNearTheFraction() {
        // GIVEN
        CsvTable pima = TestTables.file("../../data/pima.csv");
        Schema s = Schema.infer(pima, "diabetes");
        // WHEN
        Split a = SplitSpec.rowHash(42, 0.3).split(pima, s);
        Split other = SplitSpec.rowHash(43, 0.3).split(pima, s);
        // THEN 768 rows, 30 % ± three standard deviations (38) held out; another seed, another partition
        Set<Integer> all = new HashSet<>(a.trainRows());
        all.addAll(a.testRows());
        assertThat(all).hasSize(768);
        assertThat(a.trainRows()).doesNotContainAnyElementsOf(a.testRows());
        assertThat(a.testRows().size()).isBetween(230 - 38, 230 + 38);
        assertThat(other.testRows()).isNotEqualTo(a.testRows());
        assertThat(SplitSpec.rowHash(42, 0.3).split(pima, s)).isEqualTo(a);
    }

    @Test
    void aRow_shouldLandInTheSamePartitionWhateverTheFileOrderOrTheOtherRows() {
        // GIVEN wine, the same rows shuffled, and the first 100 of the shuffled rows
        CsvTable wine = TestTables.of(Datasets.read("wine"));
        CsvTable shuffled = TestTables.of(Datasets.shuffled(Datasets.read("wine"), 1));
        CsvTable fewer = TestTables.of(Datasets.head(Datasets.shuffled(Datasets.read("wine"), 1), 100));
        Schema s = Schema.infer(wine, "label");
        SplitSpec spec = SplitSpec.rowHash(42, 0.3);
        // WHEN
        Split a = spec.split(wine, s);
        Split b = spec.split(shuffled, s);
        Split c = spec.split(fewer, s);
        // THEN the same rows are held out, and a subset's held-out rows are among them
        assertThat(rows(shuffled, s, b.testRows())).isEqualTo(rows(wine, s, a.testRows()));
        assertThat(rows(wine, s, a.testRows())).containsAll(rows(fewer, s, c.testRows()));
        assertThat(rows(wine, s, a.trainRows())).containsAll(rows(fewer, s, c.trainRows()));
    }

    @Test
    void trainingRows_shouldComeInHashOrder_soTheSameRowsTrainTheSameModel() {
        // GIVEN
        CsvTable wine = TestTables.of(Datasets.read("wine"));
        CsvTable shuffled = TestTables.of(Datasets.shuffled(Datasets.read("wine"), 9));
        Schema s = Schema.infer(wine, "label");
        // WHEN
        TrainingResult a = ModelTrainer.train(wine, s, TrainingConfig.defaults());
        TrainingResult b = ModelTrainer.train(shuffled, s, TrainingConfig.defaults());
        // THEN byte-identical models
        assertThat(b.artifact().sha256()).isEqualTo(a.artifact().sha256());
        assertThat(b.metrics()).isEqualTo(a.metrics());
    }

    @Test
    void validationFraction_shouldCarveAThirdPartition() {
        // GIVEN
        CsvTable pima = TestTables.file("../../data/pima.csv");
        Schema s = Schema.infer(pima, "diabetes");
        // WHEN
        Split split = new SplitSpec(SplitSpec.ROW_HASH, 42, 0.2, 0.2).split(pima, s);
        // THEN the test rows are those of a 0.2 split without validation
        assertThat(split.testRows()).isEqualTo(SplitSpec.rowHash(42, 0.2).split(pima, s).testRows());
        assertThat(split.validationRows()).doesNotContainAnyElementsOf(split.testRows())
                .doesNotContainAnyElementsOf(split.trainRows());
        assertThat(split.validationRows().size()).isBetween(154 - 34, 154 + 34);
    }

    @Test
    void spec_shouldRefuseFractionsThatLeaveNothingToTrainOn() {
        assertThatThrownBy(() -> SplitSpec.rowHash(1, 1.0)).hasMessageContaining("test_fraction");
        assertThatThrownBy(() -> new SplitSpec(SplitSpec.ROW_HASH, 1, 0.5, 0.5)).hasMessageContaining("validation_fraction");
        assertThatThrownBy(() -> new SplitSpec("random", 1, 0.3, 0)).hasMessageContaining("unknown split scheme");
    }
}
