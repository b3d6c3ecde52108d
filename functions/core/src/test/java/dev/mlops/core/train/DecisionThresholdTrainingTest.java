package dev.mlops.core.train;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.model.task.DecisionThreshold;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A binary model's threshold, tuned on validation rows by the dataset's rule, travels with it to the API. */
class DecisionThresholdTrainingTest {

    private static final CsvTable PIMA = TestTables.file("../../data/pima.csv");
    private static final Schema SCHEMA = Schema.infer(PIMA, "diabetes");

    private static TrainingResult train(DecisionThreshold.Rule rule) {
        return ModelTrainer.train(PIMA, SCHEMA, new TrainingConfig("logistic-regression", 42,
                new SplitSpec(SplitSpec.ROW_HASH, 42, 0.2, 0.2), Map.of(), false, 0, rule));
    }

    private static DecisionThreshold.Rule cost(double falsePositive, double falseNegative) {
        return new DecisionThreshold.Rule("cost", null, Map.of("false_positive", falsePositive, "false_negative",
                falseNegative), null);
    }

    @Test
    void aBinaryVersion_shouldRecordRocAucPrAucAndItsThreshold() {
        TrainingResult r = train(DecisionThreshold.Rule.defaults());
        ClassificationMetrics test = (ClassificationMetrics) r.metrics();
        assertThat(test.rocAuc()).isBetween(0.7, 1.0);
        assertThat(test.prAuc()).isBetween(0.5, 1.0);
        assertThat(test.summary()).containsKeys("roc_auc", "pr_auc", "log_loss");
        ModelSignature.Threshold t = r.signature().threshold();
        assertThat(t.positiveClass()).isEqualTo("pos");
        assertThat(t.tuned()).isFalse();
    }

    @Test
    void aCostMatrix_shouldMoveTheThreshold_andThePredictorsAnswersWithIt() {
        // WHEN a missed diabetic costs 10 false alarms, and the other way round
        TrainingResult cautious = train(cost(1, 10));
        TrainingResult sparing = train(cost(10, 1));
        // THEN the thresholds move apart, and are stored with the versions
        double low = cautious.signature().threshold().value();
        double high = sparing.signature().threshold().value();
        assertThat(cautious.signature().threshold().objective()).isEqualTo("cost");
        assertThat(low).isLessThan(0.5).isLessThan(high);
        assertThat(high).isGreaterThan(0.5);
        // AND the same rows get more positive answers from the cautious version, with the score they were judged on
        Predictor a = Predictor.load(cautious.artifact(), cautious.signature());
        Predictor b = Predictor.load(sparing.artifact(), sparing.signature());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<String> row : PIMA.rows().subList(0, 200)) {
            Map<String, Object> instance = new HashMap<>();
            for (int c = 0; c < row.size(); c++) {
                if (!PIMA.header().get(c).equals("diabetes") && !row.get(c).equals("NA")) {
                    instance.put(PIMA.header().get(c), row.get(c));
                }
            }
            rows.add(instance);
        }
        List<Prediction> pa = a.predict(rows);
        List<Prediction> pb = b.predict(rows);
        long positivesA = pa.stream().filter(p -> p.label().equals("pos")).count();
        long positivesB = pb.stream().filter(p -> p.label().equals("pos")).count();
        assertThat(positivesA).isGreaterThan(positivesB);
        assertThat(pa).allSatisfy(p -> {
            assertThat(p.score()).isEqualTo(p.scores().get("pos"));
            assertThat(p.label()).isEqualTo(p.score() >= low ? "pos" : "neg");
        });
    }
}
