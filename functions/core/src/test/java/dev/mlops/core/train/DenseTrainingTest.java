package dev.mlops.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.DenseTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.family.XGBoost;
import dev.mlops.core.model.family.XGBoostSupport;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.model.task.DecisionThreshold;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.model.task.Regression;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A family that trains from arrays (XGBoost): fitted from a dense table, scored by its own booster on dense
 * matrices with the same answers as the request path, and stopped early on validation rows (or on the held-out
 * fold in cross-validation), the rounds it settled kept for the refit.
 */
class DenseTrainingTest {

    private final CsvTable vehicle = TestTables.file("src/test/resources/reference/splits/vehicle.train.csv");
    private final Schema schema = Schema.infer(vehicle, "Class");

    @BeforeEach
    void xgboostLoads() {
        assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
    }

    @Test
    void denseScoring_shouldGiveTheRequestPathsAnswers() {
        // GIVEN an XGBoost model trained on vehicle, loaded back from its bytes
        TrainingResult r = ModelTrainer.train(vehicle, schema, new TrainingConfig(XGBoost.ID, 3,
                SplitSpec.rowHash(3, 0.3), Map.of("numTrees", "30")));
        Predictor predictor = Predictor.load(r.artifact(), r.signature());
        List<Integer> rows = IntStream.range(0, vehicle.rows().size()).boxed().toList();
        DenseTable dense = DenseTable.of(vehicle, schema);
        // WHEN every row is scored both ways
        Evaluation.Scored arrays = Evaluation.scoreDense(predictor, Family.require(XGBoost.ID), dense, rows);
        Evaluation.Scored requests = Evaluation.predict(predictor, vehicle, schema, rows);
        // THEN the same truth, the same predicted classes and the same probabilities
        assertThat(arrays.truth()).isEqualTo(requests.truth());
        assertThat(arrays.predicted()).hasSameSizeAs(requests.predicted());
        for (int i = 0; i < rows.size(); i++) {
            Prediction a = arrays.predicted().get(i);
            Prediction b = requests.predicted().get(i);
            assertThat(a.label()).isEqualTo(b.label());
            assertThat(a.scores().keySet()).containsExactlyElementsOf(b.scores().keySet());
            for (String c : b.scores().keySet()) {
                assertThat(a.scores().get(c)).isCloseTo(b.scores().get(c), within(1e-6));
            }
        }
        assertThat(predictor.probabilistic()).isTrue();
    }

    @Test
    void aBinaryModelWithATunedThreshold_shouldScoreTheSameOnArraysAsThroughRequests() {
        // GIVEN pima (two classes), its threshold tuned for F1 on the validation rows
        CsvTable pima = TestTables.file("src/test/resources/reference/splits/pima.train.csv");
        Schema pimaSchema = Schema.infer(pima, "diabetes");
        SplitSpec split = new SplitSpec(SplitSpec.ROW_HASH, 7, 0.3, 0.2);
        TrainingResult r = ModelTrainer.train(pima, pimaSchema, new TrainingConfig(XGBoost.ID, 7, split,
                Map.of("numTrees", "30"), false, 0, new DecisionThreshold.Rule(DecisionThreshold.F1, null, null,
                null)));
        assertThat(r.signature().threshold().tuned()).isTrue();
        // WHEN the registry scores the version's test rows again, through requests
        Predictor predictor = Predictor.load(r.artifact(), r.signature());
        List<Integer> testRows = Evaluation.testRows(pima, pimaSchema, split);
        Metrics again = Evaluation.evaluate(predictor, pima, pimaSchema, testRows);
        // THEN training's test metrics (dense arrays, the threshold applied) are the same
        assertThat(((ClassificationMetrics) r.metrics()).accuracy())
                .isEqualTo(((ClassificationMetrics) again).accuracy());
        assertThat(((ClassificationMetrics) r.metrics()).confusion())
                .isEqualTo(((ClassificationMetrics) again).confusion());
        assertThat(((ClassificationMetrics) r.metrics()).logLoss())
                .isCloseTo(((ClassificationMetrics) again).logLoss(), within(1e-9));
    }

    @Test
    void aRegression_shouldTrainFromExamples_withoutEarlyStopping() {
        // GIVEN the family
        Family xgboost = Family.require(XGBoost.ID);
        // THEN only its classification trains from arrays and searches with early stopping; a regression refuses it
        assertThat(xgboost.trainsFromArrays(Classification.TASK)).isTrue();
        assertThat(xgboost.trainsFromArrays(Regression.TASK)).isFalse();
        assertThat(xgboost.defaultGrid(Classification.TASK)).containsEntry("earlyStopping", List.of("20"));
        assertThat(xgboost.defaultGrid(Regression.TASK)).doesNotContainKey("earlyStopping")
                .containsEntry("maxDepth", List.of("6", "3"));
        assertThatThrownBy(() -> xgboost.configure(Regression.TASK, Map.of("earlyStopping", "5"), 1,
                new Family.Shape(4, 100, 1))).hasMessageContaining("a regression does not stop early");
    }

    @Test
    void earlyStopping_shouldSettleTheRoundsOnValidationRows_andTheRefitShouldKeepThem() {
        // GIVEN far more rounds than vehicle needs at a large step, stopped after 5 rounds without improvement
        Map<String, String> params = Map.of("numTrees", "400", "eta", "0.5", "earlyStopping", "5");
        SplitSpec split = new SplitSpec(SplitSpec.ROW_HASH, 5, 0.2, 0.2);
        // WHEN it trains, once without and once with the refit on training + validation rows
        TrainingResult once = ModelTrainer.train(vehicle, schema, new TrainingConfig(XGBoost.ID, 5, split, params,
                false, 0));
        TrainingResult refitted = ModelTrainer.train(vehicle, schema, new TrainingConfig(XGBoost.ID, 5, split,
                params, true, 0));
        TrainingResult again = ModelTrainer.train(vehicle, schema, new TrainingConfig(XGBoost.ID, 5, split,
                params, true, 0));
        // THEN boosting stopped well before 400 rounds, the refit boosted exactly as many, and it is reproducible
        int rounds = Integer.parseInt(once.hyperParameters().get("numTrees"));
        assertThat(rounds).isBetween(6, 399);
        assertThat(refitted.hyperParameters()).containsEntry("numTrees", Integer.toString(rounds))
                .containsEntry("earlyStopping", "5");
        assertThat(refitted.refitted()).isTrue();
        assertThat(again.artifact().bytes()).isEqualTo(refitted.artifact().bytes());
        assertThat(once.validation()).isNotNull();
    }

    @Test
    void earlyStoppingInCrossValidation_shouldWatchEachHeldOutFold_andFitAllRowsWithTheirMeanRounds() {
        // GIVEN 3-fold cross-validation with early stopping
        Map<String, String> params = Map.of("numTrees", "400", "eta", "0.5", "earlyStopping", "5");
        TrainingConfig c = new TrainingConfig(XGBoost.ID, 5, SplitSpec.rowHash(5, 0.2), params, false, 3);
        // WHEN it trains
        TrainingResult r = ModelTrainer.train(vehicle, schema, c);
        // THEN the model on all rows boosted the folds' mean rounds, well under 400, and was cross-validated
        assertThat(Integer.parseInt(r.hyperParameters().get("numTrees"))).isBetween(6, 399);
        assertThat(r.folds()).isEqualTo(3);
        assertThat(((ClassificationMetrics) r.validation()).accuracy()).isGreaterThan(0.6);
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).isGreaterThan(0.6);
    }

    @Test
    void anXGBoostModel_shouldBeTrainedWithoutTheStandardisingWrapper_andLoadThroughTheAllowList() {
        // WHEN
        TrainingResult r = ModelTrainer.train(vehicle, schema, new TrainingConfig(XGBoost.ID, 1,
                SplitSpec.rowHash(1, 0.3), Map.of("numTrees", "5")));
        // THEN a bare XGBoost model, which loads (a standardised one, the fixture, loads too: ReproducibilityTest)
        assertThat(r.artifact().modelClass()).isEqualTo("org.tribuo.common.xgboost.XGBoostModel");
        assertThat(Predictor.load(r.artifact(), r.signature()).probabilistic()).isTrue();
    }
}
