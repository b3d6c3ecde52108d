package dev.mlops.core.model.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.family.RandomForest;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class PermutationImportanceTest {

    @Test
    void aPureNoiseColumn_shouldRankLast_andTheSignalFirst() {
        CsvTable table = CraftedData.table(1_000, 11);
        for (String family : List.of(LogisticRegression.ID, RandomForest.ID)) {
            // GIVEN a model trained on the crafted table
            Schema schema = Schema.infer(table, "label");
            TrainingConfig config = new TrainingConfig(family, 42L, TrainingConfig.defaults().split(), Map.of());
            TrainingResult r = ModelTrainer.train(table, schema, config);
            // WHEN its importance is measured on its test rows
            FeatureImportance importance = Evaluation.importance(Predictor.load(r.artifact(), r.signature()), table,
                    schema, Evaluation.testRows(table, schema, config.split()), 42L);
            // THEN
            List<String> ranked = new ArrayList<>(importance.importance().keySet());
            assertThat(ranked).as(family + " " + importance.importance()).hasSize(4);
            assertThat(ranked.get(0)).as(family).isEqualTo("signal");
            assertThat(ranked.get(3)).as(family + " " + importance.importance()).isEqualTo("noise");
            assertThat(importance.importance().get("signal")).isGreaterThan(0.1);
            assertThat(importance.baseline()).isEqualTo(((dev.mlops.core.model.task.ClassificationMetrics) r.metrics()).accuracy());
            assertThat(importance.rows()).isEqualTo(r.metrics().testRows());
            assertThat(importance.gain()).isEmpty();
        }
    }

    @Test
    void theSameRowsAndSeed_shouldGiveTheSameAnswer() {
        CsvTable table = CraftedData.table(300, 3);
        TrainingResult r = ModelTrainer.train(table, Schema.infer(table, "label"), TrainingConfig.defaults());
        Predictor p = Predictor.load(r.artifact(), r.signature());
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (List<String> row : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < 4; c++) {
                m.put(table.header().get(c), row.get(c));
            }
            rows.add(m);
            truth.add(row.get(4));
        }
        assertThat(PermutationImportance.of(p, rows, truth, 5)).isEqualTo(PermutationImportance.of(p, rows, truth, 5));
    }
}
