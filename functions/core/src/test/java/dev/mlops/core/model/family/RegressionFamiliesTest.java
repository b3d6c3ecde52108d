package dev.mlops.core.model.family;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.model.task.RegressionMetrics;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.transform.TransformedModel;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Every family with a regression trainer, on every fifth row of the bundled diamonds sample (price): 2,000 rows. */
class RegressionFamiliesTest {

    private static final Map<String, String> INNER_CLASS = Map.of(
            LinearRegression.ID, "org.tribuo.regression.sgd.linear.LinearSGDModel",
            Cart.ID, "org.tribuo.regression.rtree.IndependentRegressionTreeModel",
            RandomForest.ID, "org.tribuo.ensemble.WeightedEnsembleModel",
            XGBoost.ID, "org.tribuo.common.xgboost.XGBoostModel");

    private static CsvTable diamonds;
    private static Schema schema;

    @BeforeAll
    static void load() {
        CsvTable all = TestTables.file("../../data/diamonds.csv");
        List<List<String>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < all.rows().size(); r += 5) {
            rows.add(all.rows().get(r));
        }
        diamonds = new CsvTable(all.header(), rows);
        schema = Schema.infer(diamonds, "price");
    }

    static List<Family> families() {
        return Family.all().stream().filter(f -> f.supports(Regression.TASK)).toList();
    }

    @Test
    void theRegressionFamilies_shouldBeTheLinearModel_theTrees_andXGBoost() {
        // extra-trees is not among them: Tribuo 4.3.2's random-split regression tree fails on one-hot columns
        assertThat(families()).extracting(Family::id).containsExactly(LinearRegression.ID, Cart.ID, RandomForest.ID,
                XGBoost.ID);
        assertThat(schema.task()).isEqualTo("regression");
    }

    @ParameterizedTest
    @MethodSource("families")
    void everyRegressionFamily_shouldTrain_loadThroughTheAllowList_andPredictNumbers(Family family) {
        assumeThat(family.unavailableReason()).as("its native libraries load here").isEmpty();
        // WHEN
        Map<String, String> params = family instanceof BaggedTrees ? Map.of("numTrees", "20") : Map.of();
        TrainingResult r = ModelTrainer.train(diamonds, schema,
                new TrainingConfig(family.id(), 42, SplitSpec.rowHash(42, 0.3), params));
        Predictor p = Predictor.load(r.artifact(), r.signature());
        // THEN
        assertThat(r.signature().task()).isEqualTo("regression");
        assertThat(r.signature().classes()).isEmpty();
        assertThat(((TransformedModel<?>) p.model()).getInnerModel().getClass().getName())
                .isEqualTo(INNER_CLASS.get(family.id()));
        assertThat(r.hyperParameters()).doesNotContainKey(Family.CLASS_WEIGHT);
        RegressionMetrics m = (RegressionMetrics) r.metrics();
        // price from carat, cut, colour and clarity: every family explains most of its variance
        assertThat(m.r2()).as(family.id()).isGreaterThan(0.85);
        assertThat(m.rmse()).isGreaterThan(0);
        List<Prediction> answers = p.predict(List.of(Map.of("carat", 0.3, "cut", "Ideal", "color", "E",
                "clarity", "VS1", "depth", 61.5, "table", 56, "x", 4.3, "y", 4.3, "z", 2.65),
                Map.of("carat", 1.5, "cut", "Premium", "color", "G", "clarity", "VS2", "depth", 62, "table", 58,
                        "x", 7.3, "y", 7.3, "z", 4.5)));
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.label()).isNull();
            assertThat(a.scores()).isEmpty();
            assertThat(a.value()).isNotNull();
        });
        assertThat(answers.get(1).value()).as("a 1.5 carat diamond costs more than a 0.3 carat one")
                .isGreaterThan(answers.get(0).value());
        assertThat(p.probabilistic()).isFalse();
    }

    @Test
    void balancedClassWeights_shouldBeRefusedForARegression_andAClassifierOnlyFamilyNamed() {
        assertThatThrownBy(() -> ModelTrainer.train(diamonds, schema, new TrainingConfig(Cart.ID, 42,
                SplitSpec.rowHash(42, 0.3), Map.of(Family.CLASS_WEIGHT, "balanced"))))
                .hasMessageContaining("a regression has none");
        assertThatThrownBy(() -> ModelTrainer.train(diamonds, schema, new TrainingConfig(LogisticRegression.ID, 42,
                SplitSpec.rowHash(42, 0.3), Map.of())))
                .hasMessageContaining("family logistic-regression has no regression trainer");
    }
}
