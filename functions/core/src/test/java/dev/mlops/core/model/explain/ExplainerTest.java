package dev.mlops.core.model.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.family.Cart;
import dev.mlops.core.model.family.LinearSvm;
import dev.mlops.core.model.family.LogisticRegression;
import dev.mlops.core.model.family.RandomForest;
import dev.mlops.core.model.family.XGBoost;
import dev.mlops.core.model.family.XGBoostSupport;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;
import org.tribuo.Excuse;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.transform.TransformedModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class ExplainerTest {

    private static final CsvTable CRAFTED = CraftedData.table(600, 7);

    private static Predictor train(CsvTable table, String label, String family) {
        TrainingResult r = ModelTrainer.train(table, Schema.infer(table, label),
                new TrainingConfig(family, 42L, TrainingConfig.defaults().split(), Map.of()));
        return Predictor.load(r.artifact(), r.signature());
    }

    private static List<Map<String, Object>> craftedInstances() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row(1.2, -0.4, "red", 2.5));
        rows.add(row(-0.8, 0.3, "blue", -1.0));
        rows.add(row(0.1, 1.5, "green", 0.0));
        Map<String, Object> missing = row(0.4, null, "red", null);
        rows.add(missing);
        return rows;
    }

    private static Map<String, Object> row(Double signal, Double weak, String color, Double noise) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signal", signal);
        m.put("weak", weak);
        m.put("color", color);
        m.put("noise", noise);
        return m;
    }

    private static double sum(Explanation e) {
        return e.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void linear_contributionsShouldBeWeightTimesEncodedValue() {
        for (String family : List.of(LogisticRegression.ID, LinearSvm.ID)) {
            // GIVEN a linear model and Tribuo's own per-feature weight × value (its Excuse)
            Predictor predictor = train(CRAFTED, "label", family);
            Explainer explainer = Explainer.of(predictor);
            List<Map<String, Object>> instances = craftedInstances();
            // WHEN
            List<ExplainedPrediction> explained = explainer.explain(instances);
            // THEN
            assertThat(explainer.method()).isEqualTo(Explainer.LINEAR);
            for (int i = 0; i < instances.size(); i++) {
                Explanation e = explained.get(i).explanation();
                assertThat(e.target()).isEqualTo(explained.get(i).prediction().label());
                assertThat(e.contributions().keySet()).containsExactly("signal", "weak", "color", "noise");
                Map<String, Double> expected = excuse(predictor, instances.get(i), e.target());
                for (Map.Entry<String, Double> c : e.contributions().entrySet()) {
                    assertThat(c.getValue()).as("%s %s row %d", family, c.getKey(), i)
                            .isCloseTo(expected.getOrDefault(c.getKey(), 0.0), within(1e-9));
                }
                assertThat(e.baseValue() + sum(e)).isCloseTo(e.value(), within(1e-9));
            }
            // a missing value contributes nothing
            assertThat(explained.get(3).explanation().contributions().get("weak")).isZero();
            assertThat(explained.get(3).explanation().contributions().get("noise")).isZero();
        }
    }

    @Test
    void logisticRegression_marginsShouldGiveThePredictedProbabilities() {
        // GIVEN a three-class model: the softmax of the classes' margins (bias + contributions) is the prediction
        Predictor predictor = train(TestTables.file("../../data/iris.csv"), "label", LogisticRegression.ID);
        Explainer explainer = Explainer.of(predictor);
        Map<String, Object> instance = Map.of("sepal_length_cm", 6.1, "sepal_width_cm", 2.8,
                "petal_length_cm", 4.7, "petal_width_cm", 1.2);
        // WHEN
        ExplainedPrediction explained = explainer.explain(List.of(instance)).get(0);
        // THEN the margin of every class, rebuilt from Tribuo's weight × value, gives the probabilities
        double denominator = 0;
        Map<String, Double> margins = new HashMap<>();
        for (String c : predictor.signature().classes()) {
            double m = bias(predictor, c) + excuse(predictor, instance, c).values().stream()
                    .mapToDouble(Double::doubleValue).sum();
            margins.put(c, m);
            denominator += Math.exp(m);
        }
        Explanation e = explained.explanation();
        assertThat(e.value()).isCloseTo(margins.get(e.target()), within(1e-9));
        assertThat(Math.exp(e.value()) / denominator)
                .isCloseTo(explained.prediction().scores().get(e.target()), within(1e-9));
    }

    @Test
    void xgboost_contributionsPlusBaseShouldAddUpToTheMargin() throws Exception {
        assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
        for (CsvTable table : List.of(CRAFTED, TestTables.file("../../data/iris.csv"))) {
            // GIVEN
            Predictor predictor = train(table, "label", XGBoost.ID);
            Explainer explainer = Explainer.of(predictor);
            List<Map<String, Object>> instances = table == CRAFTED ? craftedInstances()
                    : List.of(Map.of("sepal_length_cm", 6.1, "sepal_width_cm", 2.8, "petal_length_cm", 4.7,
                    "petal_width_cm", 1.2), Map.of("sepal_length_cm", 5.0, "petal_width_cm", 0.3));
            // WHEN
            List<ExplainedPrediction> explained = explainer.explain(instances);
            // THEN
            assertThat(explainer.method()).isEqualTo(Explainer.TREE_SHAP);
            for (int i = 0; i < instances.size(); i++) {
                Explanation e = explained.get(i).explanation();
                assertThat(e.baseValue() + sum(e)).as("row %d", i).isCloseTo(e.value(), within(1e-4));
                // the value is the margin the booster computes, independently, from a dense matrix; the softmax
                // of the margins is the prediction
                double[] margins = margins(predictor, instances.get(i));
                Model<Label> model = predictor.classificationModel();
                Model<Label> booster = model instanceof TransformedModel<Label> t ? t.getInnerModel() : model;
                int k = booster.getOutputIDInfo().getID(new Label(e.target()));
                assertThat(e.value()).isCloseTo(margins[k], within(1e-5));
                double denominator = 0;
                for (double m : margins) {
                    denominator += Math.exp(m);
                }
                assertThat(Math.exp(margins[k]) / denominator)
                        .isCloseTo(explained.get(i).prediction().scores().get(e.target()), within(1e-5));
            }
        }
    }

    @Test
    void xgboost_gainShouldBeSharesOfTheColumns() {
        assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
        Predictor predictor = train(CRAFTED, "label", XGBoost.ID);
        Map<String, Double> gain = Explainer.gain(predictor);
        assertThat(gain.keySet()).containsExactly("signal", "weak", "color", "noise");
        assertThat(gain.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(gain.get("signal")).isGreaterThan(gain.get("noise"));
        assertThat(Explainer.gain(train(CRAFTED, "label", Cart.ID))).isEmpty();
    }

    @Test
    void samplingShapley_shouldAddUpToTheProbabilityAndRepeatItself() {
        for (String family : List.of(Cart.ID, RandomForest.ID)) {
            // GIVEN
            Predictor predictor = train(CRAFTED, "label", family);
            Explainer explainer = Explainer.of(predictor);
            List<Map<String, Object>> instances = craftedInstances();
            // WHEN
            List<ExplainedPrediction> explained = explainer.explain(instances);
            // THEN
            assertThat(explainer.method()).isEqualTo(Explainer.SAMPLING_SHAPLEY);
            for (int i = 0; i < instances.size(); i++) {
                Explanation e = explained.get(i).explanation();
                assertThat(e.output()).isEqualTo("probability");
                assertThat(e.value()).as("%s row %d", family, i)
                        .isCloseTo(explained.get(i).prediction().scores().get(e.target()), within(1e-9));
                assertThat(e.baseValue() + sum(e)).isCloseTo(e.value(), within(1e-9));
            }
            assertThat(explained.get(3).explanation().contributions().get("weak")).isZero();
            assertThat(explainer.explain(instances)).isEqualTo(explained);
        }
    }

    @Test
    void explain_shouldCheckInstancesAsPredictDoes() {
        Explainer explainer = Explainer.of(train(CRAFTED, "label", Cart.ID));
        assertThatThrownBy(() -> explainer.explain(List.of(Map.of("signal", "high"))))
                .isInstanceOf(InvalidInstanceException.class).hasMessageContaining("expected a number");
        assertThatThrownBy(() -> explainer.explain(List.of(Map.of("colour", "red"))))
                .isInstanceOf(InvalidInstanceException.class).hasMessageContaining("unknown field");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= Explainer.MAX_INSTANCES; i++) {
            many.add(row(0.1, 0.1, "red", 0.1));
        }
        assertThatThrownBy(() -> explainer.explain(many)).isInstanceOf(InvalidInstanceException.class)
                .hasMessageContaining("at most " + Explainer.MAX_INSTANCES);
    }

    @Test
    void top_shouldKeepTheLargestByMagnitude() {
        Explanation e = new Explanation(Explainer.LINEAR, "margin", "yes", 0, 0,
                new LinkedHashMap<>(Map.of("a", 0.5, "b", -2.0, "c", 1.0)));
        assertThat(e.top(2)).extracting(Map.Entry::getKey).containsExactly("b", "c");
        assertThat(e.top(9)).hasSize(3);
    }

    /** Tribuo's own weight × value per column (its Excuse of the standardised example), for one class. */
    private static Map<String, Double> excuse(Predictor predictor, Map<String, Object> instance, String target) {
        Model<Label> model = predictor.classificationModel();
        Excuse<Label> excuse = model.getExcuse(predictor.examples(List.of(instance), 1).get(0)).orElseThrow();
        Columns columns = new Columns(predictor.signature());
        Map<String, Double> out = new HashMap<>();
        for (Pair<String, Double> p : excuse.excuse(target)) {
            String column = columns.of(p.getA());
            if (column != null) {
                out.merge(column, p.getB(), Double::sum);
            }
        }
        return out;
    }

    private static double bias(Predictor predictor, String target) {
        var inner = (org.tribuo.common.sgd.AbstractLinearSGDModel<Label>)
                ((TransformedModel<Label>) predictor.classificationModel()).getInnerModel();
        return inner.getWeightsCopy().get(inner.getOutputIDInfo().getID(new Label(target)),
                inner.getFeatureIDMap().size());
    }

    /** The booster's margins for one instance, every class, from a dense matrix (NaN = missing). */
    private static double[] margins(Predictor predictor, Map<String, Object> instance) throws Exception {
        // A wrapped model standardises first; a bare one (trained from arrays) takes the values as they are.
        Model<Label> model = predictor.classificationModel();
        TransformedModel<Label> t = model instanceof TransformedModel<Label> w ? w : null;
        XGBoostModel<Label> x = (XGBoostModel<Label>) (t == null ? model : t.getInnerModel());
        var raw = predictor.examples(List.of(instance), 1).get(0);
        var example = t == null ? raw : t.getTransformerMap().transformExample(raw);
        float[] dense = new float[x.getFeatureIDMap().size()];
        java.util.Arrays.fill(dense, Float.NaN);
        for (var f : example) {
            var info = x.getFeatureIDMap().get(f.getName());
            if (info != null) {
                dense[info.getID()] = (float) f.getValue();
            }
        }
        DMatrix m = new DMatrix(dense, 1, dense.length, Float.NaN);
        try {
            float[] row = x.getInnerModels().get(0).predict(m, true)[0];
            double[] out = new double[row.length];
            for (int i = 0; i < row.length; i++) {
                out[i] = row[i];
            }
            return out;
        } finally {
            m.dispose();
        }
    }
}
