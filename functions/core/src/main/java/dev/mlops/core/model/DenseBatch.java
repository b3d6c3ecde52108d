package dev.mlops.core.model;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.MissingMarkers;
import dev.mlops.core.data.NumberParser;
import dev.mlops.core.model.family.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.VariableIDInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.transform.Transformer;
import org.tribuo.transform.TransformerMap;
import org.tribuo.transform.TransformedModel;

/**
 * Many rows of text cells scored in one native call, without a {@code Map}, a Tribuo {@code Example} or a
 * sparse matrix per row: what batch scoring uses for a model whose booster scores a dense matrix (XGBoost
 * classification). Each row is encoded straight into a row of a float matrix by the model's feature ids, by
 * {@link FeatureEncoder}'s rules and the model's own standardisation (the {@link TransformedModel}'s
 * transformers), and the booster's probabilities become {@link Prediction}s the way Tribuo's converter and
 * {@link Predictor#predict} make them, so the answers are the same as {@code :predict}'s for the same rows
 * ({@code DenseBatchTest}).
 *
 * <p>A row this path does not take (a value that is not a number, no value the model knows, a number the model
 * cannot score) is left to {@link Predictor#predict}, which answers it or says why not. Safe for concurrent use.
 */
public final class DenseBatch {

    private static final String XGBOOST_MODEL = "org.tribuo.common.xgboost.XGBoostModel";

    private final Predictor predictor;
    private final DenseScorer scorer;
    private final ImmutableFeatureMap featureMap;
    private final TransformerMap transformers;
    private final List<Column> features;
    private final int[] numericId;
    private final List<List<Transformer>> numericTransformers;
    private final String[] outputNames;
    private final ArrayExample<Label> placeholder = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL);

    private DenseBatch(Predictor predictor, Model<Label> model, TransformerMap transformers, DenseScorer scorer) {
        this.predictor = predictor;
        this.scorer = scorer;
        this.featureMap = model.getFeatureIDMap();
        this.transformers = transformers;
        this.features = predictor.signature().features();
        this.numericId = new int[features.size()];
        this.numericTransformers = new ArrayList<>(features.size());
        for (int f = 0; f < features.size(); f++) {
            String name = features.get(f).name();
            numericId[f] = features.get(f).type() == ColumnType.NUMERIC ? id(name) : -1;
            numericTransformers.add(transformers == null ? null : transformers.get(name));
        }
        ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
        this.outputNames = new String[outputs.size()];
        for (int k = 0; k < outputNames.length; k++) {
            outputNames[k] = outputs.getOutput(k).getLabel();
        }
    }

    /** The dense path for a predictor's model, if it has one (an XGBoost classifier, standardised or bare). */
    static Optional<DenseBatch> of(Predictor predictor) {
        Model<?> model = predictor.model();
        TransformerMap transformers = null;
        if (model instanceof TransformedModel<?> t) {
            if (t.getDensify()) {
                return Optional.empty();
            }
            transformers = t.getTransformerMap();
            model = t.getInnerModel();
        }
        // By name: the other families' models must not load XGBoost's classes.
        if (predictor.task().outputClass() != Label.class || !model.getClass().getName().equals(XGBOOST_MODEL)) {
            return Optional.empty();
        }
        Model<Label> classifier = model.castModel(Label.class);
        // The family's own dense scoring, as evaluation uses it. Its booster copy lives as long as the predictor.
        TransformerMap encoding = transformers;
        return Family.all().stream().flatMap(f -> f.denseScorer(classifier).stream()).findFirst()
                .map(scorer -> new DenseBatch(predictor, classifier, encoding, scorer));
    }

    /** The model's number of features: the width of a row of the matrix. */
    public int width() {
        return featureMap.size();
    }

    /**
     * Encodes one row into {@code out[offset .. offset + width)}.
     *
     * @param cells the row's values in the signature's feature order; {@code null} or empty for missing
     * @return false when the row is not for this path: {@link Predictor#predict} answers it (or says why not)
     */
    public boolean encode(String[] cells, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + width(), Float.NaN);
        boolean usable = false;
        for (int f = 0; f < cells.length; f++) {
            String cell = cells[f];
            if (cell == null || cell.isEmpty() || Missing.isMissing(cell)) {
                continue;
            }
            int stored = features.get(f).type() == ColumnType.NUMERIC
                    ? numeric(f, NumberParser.parse(cell), out, offset)
                    : categorical(f, cell, out, offset);
            if (stored < 0) {
                return false;
            }
            usable |= stored > 0;
        }
        return usable;
    }

    /**
     * Encodes one row whose cells lie in a text, by the same rules as {@link #encode(String[], float[], int)},
     * without a string per numeric cell.
     *
     * @param text the characters the cells lie in
     * @param from where each feature's cell starts, in the signature's feature order
     * @param to   where each feature's cell ends (exclusive)
     * @return false when the row is not for this path
     */
    public boolean encode(char[] text, int[] from, int[] to, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + width(), Float.NaN);
        boolean usable = false;
        for (int f = 0; f < from.length; f++) {
            int length = to[f] - from[f];
            if (length == 0 || MissingMarkers.DEFAULT.isMissing(text, from[f], length)) {
                continue;
            }
            int stored = features.get(f).type() == ColumnType.NUMERIC
                    ? numeric(f, NumberParser.parse(text, from[f], length), out, offset)
                    : categorical(f, new String(text, from[f], length), out, offset);
            if (stored < 0) {
                return false;
            }
            usable |= stored > 0;
        }
        return usable;
    }

    /** A numeric feature's value, standardised as the model was: 1 stored, 0 a feature the model lacks, -1 refused. */
    private int numeric(int f, double value, float[] out, int offset) {
        if (!Double.isFinite(value)) {
            return -1; // not a number: FeatureEncoder's message
        }
        return store(numericId[f], value, numericTransformers.get(f), out, offset);
    }

    /** A categorical feature's one-hot column, as {@link FeatureEncoder} names it. */
    private int categorical(int f, String cell, float[] out, int offset) {
        String name = FeatureEncoder.oneHotName(features.get(f).name(), cell.trim());
        return store(id(name), 1.0, transformers == null ? null : transformers.get(name), out, offset);
    }

    private static int store(int id, double value, List<Transformer> transform, float[] out, int offset) {
        if (id < 0) {
            return 0;
        }
        float v = (float) TransformerMap.applyTransformerList(value, transform);
        if (!Float.isFinite(v)) {
            return -1;
        }
        out[offset + id] = v;
        return 1;
    }

    /**
     * Predicts encoded rows in one call.
     *
     * @param matrix rows × {@link #width()}, as {@link #encode} filled them
     * @param rows   number of rows
     * @return one prediction per row, in order; {@code null} where the model's scores are not finite numbers
     *         ({@link Predictor#predict} says why)
     */
    public List<Prediction> predict(float[] matrix, int rows) {
        double[] scores = scorer.scores(matrix, rows);
        int k = outputNames.length;
        List<Prediction> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            // Tribuo's XGBoostClassificationConverter: a Label per output, the first highest one predicted.
            Map<String, Label> byClass = new LinkedHashMap<>();
            Label best = null;
            for (int c = 0; c < k; c++) {
                Label label = new Label(outputNames[c], scores[i * k + c]);
                byClass.put(outputNames[c], label);
                if (best == null || label.getScore() > best.getScore()) {
                    best = label;
                }
            }
            out.add(predictor.prediction(new org.tribuo.Prediction<>(best, byClass, 0, placeholder, true)));
        }
        return out;
    }

    private int id(String name) {
        VariableIDInfo info = featureMap.get(name);
        return info == null ? -1 : info.getID();
    }
}
