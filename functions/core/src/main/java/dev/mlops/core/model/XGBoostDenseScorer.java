package dev.mlops.core.model;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;

/**
 * An XGBoost classifier's booster on a dense matrix ({@link DenseBatch}); only loaded for an XGBoost model, so
 * the other families never load XGBoost's classes. Tribuo hands out a copy of its booster: taken once, kept as
 * long as the predictor.
 */
final class XGBoostDenseScorer implements DenseBatch.Scorer {

    private final Booster booster;
    private final int width;
    private final int outputs;

    private XGBoostDenseScorer(Booster booster, int width, int outputs) {
        this.booster = booster;
        this.width = width;
        this.outputs = outputs;
    }

    @SuppressWarnings("unchecked")
    static XGBoostDenseScorer of(Model<Label> model) {
        XGBoostModel<Label> xgb = (XGBoostModel<Label>) (Model<?>) model;
        return new XGBoostDenseScorer(xgb.getInnerModels().get(0), xgb.getFeatureIDMap().size(),
                xgb.getOutputIDInfo().size());
    }

    @Override
    public float[] scores(float[] matrix, int rows) {
        DMatrix m = null;
        try {
            m = new DMatrix(matrix, rows, width, Float.NaN);
            float[][] p = booster.predict(m);
            float[] out = new float[rows * outputs];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(p[i], 0, out, i * outputs, outputs);
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not score: " + e.getMessage(), e);
        } finally {
            if (m != null) {
                m.dispose();
            }
        }
    }
}
