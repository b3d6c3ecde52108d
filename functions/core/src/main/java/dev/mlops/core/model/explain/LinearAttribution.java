package dev.mlops.core.model.explain;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

import java.util.Map;

/**
 * Exact contributions of a linear model (logistic regression, linear SVM): a class's margin is its bias plus,
 * per feature, weight × encoded value (standardised for numeric columns, 1 for the one-hot feature of a
 * category). The bias is the base value; the margin is the value.
 */
final class LinearAttribution {

    private final AbstractLinearSGDModel<Label> model;
    /** One row per class, one column per feature id, the bias last. */
    private final DenseMatrix weights;
    private final Columns columns;

    LinearAttribution(AbstractLinearSGDModel<Label> model, Columns columns) {
        this.model = model;
        this.weights = model.getWeightsCopy();
        this.columns = columns;
    }

    /**
     * @param encoded the instance as the linear model sees it (standardised)
     * @param target  the class to explain
     */
    Explanation explain(Example<Label> encoded, String target) {
        int row = model.getOutputIDInfo().getID(new Label(target));
        ImmutableFeatureMap features = model.getFeatureIDMap();
        double bias = weights.get(row, features.size());
        Map<String, Double> contributions = columns.zeros();
        double margin = bias;
        for (Feature f : encoded) {
            org.tribuo.VariableIDInfo info = features.get(f.getName());
            String column = columns.of(f.getName());
            if (info == null || column == null) {
                continue; // a category the model never saw: it plays no part in the margin
            }
            double c = weights.get(row, info.getID()) * f.getValue();
            contributions.merge(column, c, Double::sum);
            margin += c;
        }
        return new Explanation(Explainer.LINEAR, "margin", target, bias, margin, contributions);
    }
}
