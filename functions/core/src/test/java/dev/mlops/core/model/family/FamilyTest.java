package dev.mlops.core.model.family;

import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.testing.ReferenceSplits;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.transform.TransformedModel;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class FamilyTest {

    private static final Map<String, String> INNER_CLASS = Map.of(
            LogisticRegression.ID, "org.tribuo.classification.sgd.linear.LinearSGDModel",
            LinearSvm.ID, "org.tribuo.classification.sgd.linear.LinearSGDModel",
            Cart.ID, "org.tribuo.common.tree.TreeModel",
            RandomForest.ID, "org.tribuo.ensemble.WeightedEnsembleModel",
            ExtraTrees.ID, "org.tribuo.ensemble.WeightedEnsembleModel",
            XGBoost.ID, "org.tribuo.common.xgboost.XGBoostModel");

    private static final BaggedTrees RANDOM_FOREST = (BaggedTrees) Family.require(RandomForest.ID);
    private static final BaggedTrees EXTRA_TREES = (BaggedTrees) Family.require(ExtraTrees.ID);

    static List<Family> families() {
        return Family.all().stream().filter(f -> f.supports(Classification.TASK)).toList();
    }

    @ParameterizedTest
    @MethodSource("families")
    void everyFamily_shouldTrainOnWine_loadThroughTheAllowList_andAnswerWithScoresSummingToOne(Family family) {
        assumeThat(family.unavailableReason()).as("its native libraries load here").isEmpty();
        // GIVEN the wine reference split
        ReferenceSplits.Combined wine = ReferenceSplits.load("wine");
        Schema schema = Schema.infer(wine.table(), "label");
        // WHEN
        Map<String, String> params = family instanceof BaggedTrees ? Map.of("numTrees", "20") : Map.of();
        TrainingResult r = ModelTrainer.train(wine.table(), schema,
                new TrainingConfig(family.id(), 42, SplitSpec.rowHash(42, 0.3), params), wine.split());
        Predictor p = Predictor.load(r.artifact(), r.signature());
        // THEN a TransformedModel (standardisation travels with it) around the family's model; a family that
        // trains from arrays (trees, which need no scaling) writes its model bare
        if (family.trainsFromArrays(Classification.TASK)) {
            assertThat(r.artifact().modelClass()).isEqualTo(INNER_CLASS.get(family.id()));
            assertThat(p.model().getClass().getName()).isEqualTo(INNER_CLASS.get(family.id()));
        } else {
            assertThat(r.artifact().modelClass()).isEqualTo(TransformedModel.class.getName());
            assertThat(((TransformedModel<?>) p.model()).getInnerModel().getClass().getName())
                    .isEqualTo(INNER_CLASS.get(family.id()));
        }
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).as(family.id()).isGreaterThan(0.85);
        assertThat(r.hyperParameters()).containsKey(Family.CLASS_WEIGHT);
        for (Prediction prediction : p.predict(List.of(Map.of("alcohol", 13.2, "malic_acid", 1.78),
                Map.of("alcohol", 12.0, "color_intensity", "3.1")))) {
            assertThat(prediction.scores().values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(1.0, within(1e-9));
            assertThat(prediction.scores()).containsOnlyKeys("class_0", "class_1", "class_2");
        }
        assertThat(p.probabilistic()).isEqualTo(family.probabilistic());
    }

    @Test
    void hyperParameters_shouldBeCheckedByName_andByValue_naming_theFamily() {
        assertThatThrownBy(() -> Family.require(RandomForest.ID).check(Map.of("trees", "10")))
                .hasMessageContaining("unknown hyper-parameter \"trees\" for random-forest")
                .hasMessageContaining("numTrees");
        assertThatThrownBy(() -> Family.require(XGBoost.ID).check(Map.of("eta", "fast")))
                .hasMessageContaining("\"eta\" must be a positive number, got \"fast\" (xgboost)");
        assertThatThrownBy(() -> Family.require(Cart.ID).check(Map.of("maxDepth", "0")))
                .hasMessageContaining("\"maxDepth\" must be a positive integer or \"none\"");
        assertThatThrownBy(() -> Family.require(ExtraTrees.ID).check(Map.of("fractionFeaturesInSplit", "2")))
                .hasMessageContaining("sqrt, log2 or a number in (0, 1]");
        assertThatThrownBy(() -> Family.require(LinearSvm.ID).check(Map.of(Family.CLASS_WEIGHT, "heavy")))
                .hasMessageContaining("must be one of balanced, none");
        assertThat(Family.require(Cart.ID).check(Map.of("maxDepth", "none"))).containsEntry("maxDepth", "none")
                .containsEntry("minChildWeight", "5");
    }

    @Test
    void forestDefaults_shouldShrinkOnlyWhereTheArtifactWouldGrowPastTheBudget() {
        // measured: a fully grown letter tree is ~5.8 MB; 100 of them would be ~580 MB
        assertThat(RANDOM_FOREST.defaultTrees(new Family.Shape(16, 12_000, 26))).isBetween(5, 20);
        assertThat(EXTRA_TREES.defaultTrees(new Family.Shape(16, 12_000, 26)))
                .isLessThan(RANDOM_FOREST.defaultTrees(new Family.Shape(16, 12_000, 26)));
        assertThat(RANDOM_FOREST.defaultTrees(new Family.Shape(30, 400, 2))).isEqualTo(100);
        // an explicit numTrees is obeyed
        assertThat(RANDOM_FOREST.configure(Map.of("numTrees", "300"), 1, new Family.Shape(16, 12_000, 26))
                .effective()).containsEntry("numTrees", "300");
    }

    @Test
    void featureNamesWithRegexCharacters_shouldTrain_letterHasXDotBarAndX2bar() {
        // GIVEN letter's header: "x.bar" read as a regular expression also matches "x2bar" (the shipped crash)
        CsvTable letter = TestTables.file("../../data/letter.csv");
        CsvTable head = new CsvTable(letter.header(), letter.rows().subList(0, 2000));
        Schema schema = Schema.infer(head, "lettr");
        // WHEN
        TrainingResult r = ModelTrainer.train(head, schema, TrainingConfig.defaults());
        // THEN it trains, and both columns were standardised separately
        TransformedModel<?> m = (TransformedModel<?>) Predictor.load(r.artifact(), r.signature()).model();
        for (String column : List.of("x.bar", "x2bar", "x.box", "y.ege")) {
            assertThat(m.getTransformerMap().get(column)).as(column).hasSize(1);
        }
        assertThat(((ClassificationMetrics) r.metrics()).accuracy()).isGreaterThan(0.5);
    }

    @Test
    void balancedClassWeights_shouldRaiseTheRareClassesRecall() {
        // GIVEN pima's positives under-represented: keep a third of them
        CsvTable pima = TestTables.file("../../data/pima.csv");
        int label = pima.columnIndex("diabetes");
        List<List<String>> rows = new java.util.ArrayList<>();
        int pos = 0;
        for (List<String> row : pima.rows()) {
            if (!row.get(label).equals("pos") || pos++ % 3 == 0) {
                rows.add(row);
            }
        }
        CsvTable skewed = new CsvTable(pima.header(), rows);
        Schema schema = Schema.infer(skewed, "diabetes");
        // WHEN
        TrainingResult plain = ModelTrainer.train(skewed, schema, new TrainingConfig("logistic-regression", 42,
                SplitSpec.rowHash(42, 0.3), Map.of(Family.CLASS_WEIGHT, "none")));
        TrainingResult balanced = ModelTrainer.train(skewed, schema, new TrainingConfig("logistic-regression", 42,
                SplitSpec.rowHash(42, 0.3), Map.of(Family.CLASS_WEIGHT, "balanced")));
        // THEN
        assertThat(((ClassificationMetrics) balanced.metrics()).perClass().get("pos").recall())
                .isGreaterThan(((ClassificationMetrics) plain.metrics()).perClass().get("pos").recall());
    }
}
