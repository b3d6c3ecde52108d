package dev.mlops.core.model.explain;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.task.Classification;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.transform.TransformedModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Explains predictions of a loaded classification model (a regression's are refused with a reason): each instance's prediction (the same as {@link Predictor#predict}) and
 * each feature column's contribution to the predicted class's output, by the family's method:
 * <ul>
 *   <li>{@value #LINEAR} (logistic regression, linear SVM): exact, weight × encoded value, to the margin;</li>
 *   <li>{@value #TREE_SHAP} (XGBoost): XGBoost's own SHAP values, to the margin;</li>
 *   <li>{@value #SAMPLING_SHAPLEY} (CART, random forest, extra trees, any other): sampled Shapley values, to the
 *       probability ({@link SamplingShapley}).</li>
 * </ul>
 * Instances are checked exactly as {@link Predictor#predict} checks them; at most {@value #MAX_INSTANCES} per call
 * (sampling costs hundreds of evaluations per instance). Safe for concurrent calls. Batch scoring calls {@link
 * #explain} per part of rows and keeps {@link Explanation#top(int)} of each.
 */
public final class Explainer {

    /** Exact contributions of a linear model. */
    public static final String LINEAR = "linear";
    /** XGBoost's TreeSHAP. */
    public static final String TREE_SHAP = "xgboost_tree_shap";
    /** Shapley values estimated from sampled permutations. */
    public static final String SAMPLING_SHAPLEY = "sampling_shapley";

    /** Most instances per {@link #explain} call. */
    public static final int MAX_INSTANCES = 100;

    private static final String XGBOOST_MODEL = "org.tribuo.common.xgboost.XGBoostModel";

    private final Predictor predictor;
    private final TransformedModel<Label> transformed;
    private final Model<Label> inner;
    private final Columns columns;
    private final String method;
    private final LinearAttribution linear;
    private final XGBoostAttribution boosted;
    private final SamplingShapley sampling;

    private Explainer(Predictor predictor) {
        this.predictor = predictor;
        Model<Label> model = predictor.classificationModel();
        this.transformed = model instanceof TransformedModel<Label> t ? t : null;
        this.inner = transformed == null ? model : transformed.getInnerModel();
        this.columns = new Columns(predictor.signature());
        if (inner instanceof AbstractLinearSGDModel<Label> l) {
            method = LINEAR;
            linear = new LinearAttribution(l, columns);
            boosted = null;
            sampling = null;
        } else if (inner.getClass().getName().equals(XGBOOST_MODEL)) {
            method = TREE_SHAP;
            linear = null;
            boosted = new XGBoostAttribution(inner, columns);
            sampling = null;
        } else {
            method = SAMPLING_SHAPLEY;
            linear = null;
            boosted = null;
            sampling = new SamplingShapley(inner, columns, predictor.probabilistic() ? "probability" : "score");
        }
    }

    /**
     * The explainer of a model.
     *
     * @param predictor the loaded model
     * @return its explainer
     * @throws ContractException if the model is not a classification model: explanations read the predicted
     *                           class's output, and a regression's are not supported yet
     */
    public static Explainer of(Predictor predictor) {
        if (predictor.task() != Classification.TASK) {
            throw new ContractException("explanations of " + predictor.task().id()
                    + " models are not supported yet: only classification models are explained");
        }
        return new Explainer(predictor);
    }

    /** The method this model's contributions are computed with. */
    public String method() {
        return method;
    }

    /**
     * Predicts and explains.
     *
     * @param instances 1 to {@value #MAX_INSTANCES} instances, as {@link Predictor#predict} takes them
     * @return per instance, its prediction and the contributions to the predicted class's output
     * @throws InvalidInstanceException as {@link Predictor#predict}, or for more than {@value #MAX_INSTANCES}
     *                                  instances
     */
    public List<ExplainedPrediction> explain(List<? extends Map<String, ?>> instances) {
        List<ArrayExample<Label>> examples = predictor.examples(instances, MAX_INSTANCES);
        List<Prediction> predictions = predictor.predict(instances);
        List<Example<Label>> encoded = new ArrayList<>(examples.size());
        List<String> targets = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            encoded.add(transformed == null ? examples.get(i) : transformed.getTransformerMap()
                    .transformExample(examples.get(i)));
            targets.add(predictions.get(i).label());
        }
        List<Explanation> explanations = boosted != null ? boosted.explain(encoded, targets) : new ArrayList<>();
        if (boosted == null) {
            for (int i = 0; i < encoded.size(); i++) {
                explanations.add(linear != null ? linear.explain(encoded.get(i), targets.get(i))
                        : sampling.explain(encoded.get(i), targets.get(i)));
            }
        }
        List<ExplainedPrediction> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            out.add(new ExplainedPrediction(predictions.get(i), explanations.get(i)));
        }
        return out;
    }

    /**
     * XGBoost's total gain per feature column (shares summing to 1), or empty for another family.
     *
     * @param predictor the model
     * @return column → share of the ensemble's total gain, in signature order
     */
    public static Map<String, Double> gain(Predictor predictor) {
        Model<Label> model = predictor.classificationModel();
        Model<Label> inner = model instanceof TransformedModel<Label> t ? t.getInnerModel() : model;
        return inner.getClass().getName().equals(XGBOOST_MODEL)
                ? XGBoostAttribution.gain(inner, new Columns(predictor.signature())) : Map.of();
    }
}
