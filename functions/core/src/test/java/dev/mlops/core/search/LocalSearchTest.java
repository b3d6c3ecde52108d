package dev.mlops.core.search;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.pipeline.TrainingSettings;
import dev.mlops.core.testing.ReferenceSplits;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalSearchTest {

    private static final TrainingSettings THREE = new TrainingSettings(List.of("logistic-regression", "cart", "xgboost"),
            Map.of("xgboost", Map.of("maxDepth", List.of("3"))), null, null, null, null, null, null, null, null, null);

    @Test
    void withATestFile_everyTestRowShouldTest_andTheTrainingFileTrainAndValidate() {
        // GIVEN iris's reference split
        CsvTable train = TestTables.file(ReferenceSplits.DIR + "iris.train.csv");
        CsvTable test = TestTables.file(ReferenceSplits.DIR + "iris.test.csv");
        List<String> progress = new ArrayList<>();
        // WHEN
        LocalSearch.Outcome o = LocalSearch.run(train, test, "label", null, THREE, progress::add);
        // THEN (cart has two default depths) every candidate trained on (a cross-validated selection over) the training file, tested on the test file
        assertThat(o.records()).hasSize(4).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("TRAINED");
            assertThat(((Number) r.test().get("rows")).intValue()).isEqualTo(45);
            assertThat(((Number) r.validation().get("rows")).intValue()).isEqualTo(105);
            assertThat(r.trainRows()).isEqualTo(105);
        });
        assertThat(progress).hasSize(4).allSatisfy(l -> assertThat(l).contains("validation accuracy"));
        assertThat(o.leaderboard().entries().get(0).rank()).isEqualTo(1);
        assertThat(o.best()).isPresent();
        assertThat(o.leaderboard().table()).contains("logistic-regression", "cart", "xgboost");
    }

    @Test
    void withoutXGBoost_theSearchShouldSkipIt_andStillRankTheOthers() {
        CsvTable wine = TestTables.file("../../data/wine.csv");
        LocalSearch.Outcome o = LocalSearch.run(wine, null, "label", null, THREE, line -> { },
                library -> Optional.of("no libgomp.so.1"));
        assertThat(o.leaderboard().entries()).last().satisfies(e -> {
            assertThat(e.algorithm()).isEqualTo("xgboost");
            assertThat(e.rank()).isNull();
            assertThat(e.reason()).isEqualTo("no libgomp.so.1");
        });
        assertThat(o.leaderboard().table()).contains("skipped: no libgomp.so.1");
        assertThat(o.leaderboard().selected()).isPresent();
    }

    @Test
    void aTestFileWithOtherColumns_shouldBeRefused() {
        CsvTable train = TestTables.file(ReferenceSplits.DIR + "iris.train.csv");
        CsvTable wine = TestTables.file(ReferenceSplits.DIR + "wine.test.csv");
        assertThatThrownBy(() -> LocalSearch.run(train, wine, "label", null, THREE, l -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are not the training file's");
    }
}
