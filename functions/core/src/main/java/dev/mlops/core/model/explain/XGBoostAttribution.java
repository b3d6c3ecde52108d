package dev.mlops.core.model.explain;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.VariableIDInfo;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XGBoost's own SHAP values (TreeSHAP, {@code Booster.predictContrib}): per class, one contribution per feature
 * and the expected margin as base value; they add up to the class's margin ({@code predict} with {@code
 * outputMargin}), which the softmax turns into the probabilities. Only loaded for an XGBoost model, so the
 * other families never load XGBoost's classes.
 */
final class XGBoostAttribution {

    private final XGBoostModel<Label> model;
    private final Columns columns;
    /** Tribuo hands out a copy of its booster on every {@code getInnerModels()}: taken once per explainer. */
    private final Booster booster;

    @SuppressWarnings("unchecked")
    XGBoostAttribution(Model<Label> model, Columns columns) {
        this.model = (XGBoostModel<Label>) model;
        this.columns = columns;
        this.booster = this.model.getInnerModels().get(0);
    }

    /**
     * @param encoded the instances as the booster sees them (standardised)
     * @param targets the class to explain, per instance
     */
    List<Explanation> explain(List<? extends Example<Label>> encoded, List<String> targets) {
        ImmutableFeatureMap features = model.getFeatureIDMap();
        int width = features.size();
        DMatrix matrix = null;
        try {
            matrix = matrix(encoded, features);
            float[][] contributions = booster.predictContrib(matrix, 0);
            float[][] margins = booster.predict(matrix, true);
            String[] names = new String[width];
            for (int id = 0; id < width; id++) {
                names[id] = features.get(id).getName();
            }
            List<Explanation> out = new ArrayList<>(encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                int k = model.getOutputIDInfo().getID(new Label(targets.get(i)));
                // One block of width + 1 per class (the base value last); a single block when there is one output.
                int offset = contributions[i].length == width + 1 ? 0 : k * (width + 1);
                Map<String, Double> byColumn = columns.zeros();
                for (int j = 0; j < width; j++) {
                    String column = columns.of(names[j]);
                    if (column != null && contributions[i][offset + j] != 0f) {
                        byColumn.merge(column, (double) contributions[i][offset + j], Double::sum);
                    }
                }
                double margin = margins[i].length == 1 ? margins[i][0] : margins[i][k];
                out.add(new Explanation(Explainer.TREE_SHAP, "margin", targets.get(i),
                        contributions[i][offset + width], margin, byColumn));
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not compute contributions: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /**
     * XGBoost's total gain per column, as shares summing to 1: how much the splits on each column reduced the
     * loss over the whole ensemble (a column's one-hot features added up).
     */
    static Map<String, Double> gain(Model<Label> model, Columns columns) {
        XGBoostModel<Label> x = (XGBoostModel<Label>) model;
        Map<String, Double> byColumn = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : x.getFeatureImportance().get(0).getTotalGain().entrySet()) {
            String column = columns.of(e.getKey());
            if (column != null) {
                byColumn.merge(column, e.getValue(), Double::sum);
                total += e.getValue();
            }
        }
        Map<String, Double> shares = columns.zeros();
        for (Map.Entry<String, Double> e : byColumn.entrySet()) {
            shares.put(e.getKey(), total > 0 ? e.getValue() / total : 0.0);
        }
        return shares;
    }

    /** The rows as a sparse matrix: a feature the row lacks is missing, as Tribuo gives it to XGBoost. */
    private static DMatrix matrix(List<? extends Example<Label>> rows, ImmutableFeatureMap features)
            throws XGBoostError {
        long[] headers = new long[rows.size() + 1];
        List<int[]> indices = new ArrayList<>(rows.size());
        List<float[]> values = new ArrayList<>(rows.size());
        int n = 0;
        for (int i = 0; i < rows.size(); i++) {
            Map<Integer, Float> row = new java.util.TreeMap<>();
            for (Feature f : rows.get(i)) {
                VariableIDInfo info = features.get(f.getName());
                if (info != null) {
                    row.put(info.getID(), (float) f.getValue());
                }
            }
            int[] ids = new int[row.size()];
            float[] vs = new float[row.size()];
            int j = 0;
            for (Map.Entry<Integer, Float> e : row.entrySet()) {
                ids[j] = e.getKey();
                vs[j++] = e.getValue();
            }
            indices.add(ids);
            values.add(vs);
            n += ids.length;
            headers[i + 1] = n;
        }
        int[] allIds = new int[n];
        float[] allValues = new float[n];
        int at = 0;
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(indices.get(i), 0, allIds, at, indices.get(i).length);
            System.arraycopy(values.get(i), 0, allValues, at, values.get(i).length);
            at += indices.get(i).length;
        }
        return new DMatrix(headers, allIds, allValues, DMatrix.SparseType.CSR, features.size());
    }
}
