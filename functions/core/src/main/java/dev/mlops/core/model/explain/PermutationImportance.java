package dev.mlops.core.model.explain;

import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Permutation importance (Breiman 2001; scikit-learn's {@code permutation_importance}): for each feature column,
 * its values are shuffled among the held-out rows, breaking its link with the label while keeping its
 * distribution, and the drop in accuracy is the column's importance. Model-agnostic: it only calls {@link
 * Predictor#predict}. Seeded: the same rows give the same answer.
 *
 * <p>Cost: columns × {@value #REPEATS} predictions of at most {@value #MAX_ROWS} rows (the first ones, when there
 * are more).
 */
public final class PermutationImportance {

    /** Shuffles per column. */
    public static final int REPEATS = 5;
    /** Most rows measured on. */
    public static final int MAX_ROWS = 2_000;

    private PermutationImportance() {
    }

    /**
     * Measures every feature column of the predictor's signature.
     *
     * @param predictor the model
     * @param rows      held-out instances, feature name to value, as {@link Predictor#predict} takes them
     * @param truth     each row's true class
     * @param seed      the shuffles' seed
     * @return the importance of every column, largest first, with XGBoost's gain where it applies
     */
    public static FeatureImportance of(Predictor predictor, List<? extends Map<String, ?>> rows, List<String> truth,
                                       long seed) {
        if (rows.isEmpty() || rows.size() != truth.size()) {
            throw new IllegalArgumentException("need as many true classes as rows, and at least one row");
        }
        int n = Math.min(rows.size(), MAX_ROWS);
        List<? extends Map<String, ?>> measured = rows.subList(0, n);
        List<String> labels = truth.subList(0, n);
        double baseline = accuracy(predictor, measured, labels);
        Map<String, Double> mean = new HashMap<>();
        Map<String, Double> spread = new HashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> columns = new Columns(predictor.signature()).names();
        for (String column : columns) {
            double[] drops = new double[REPEATS];
            for (int r = 0; r < REPEATS; r++) {
                drops[r] = baseline - accuracy(predictor, shuffled(measured, column, random), labels);
            }
            double m = 0;
            for (double d : drops) {
                m += d / REPEATS;
            }
            double v = 0;
            for (double d : drops) {
                v += (d - m) * (d - m) / REPEATS;
            }
            mean.put(column, m);
            spread.put(column, Math.sqrt(v));
        }
        List<String> ranked = new ArrayList<>(columns);
        ranked.sort(Comparator.comparingDouble((String c) -> -mean.get(c)));
        Map<String, Double> importance = new LinkedHashMap<>();
        Map<String, Double> spreads = new LinkedHashMap<>();
        for (String c : ranked) {
            importance.put(c, mean.get(c));
            spreads.put(c, spread.get(c));
        }
        return new FeatureImportance("permutation", "accuracy", baseline, n, REPEATS, importance, spreads,
                Explainer.gain(predictor));
    }

    /** The rows with one column's values shuffled among them (Fisher–Yates; a missing value moves like any). */
    private static List<Map<String, Object>> shuffled(List<? extends Map<String, ?>> rows, String column,
                                                      SplittableRandom random) {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i).get(column);
        }
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Object t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> row = new HashMap<>(rows.get(i));
            row.put(column, values[i]);
            out.add(row);
        }
        return out;
    }

    /**
     * The share of rows predicted right. A row the model cannot score once shuffled (every value of it missing
     * or unknown) counts as wrong.
     */
    private static double accuracy(Predictor predictor, List<? extends Map<String, ?>> rows, List<String> truth) {
        int right = 0;
        for (int start = 0; start < rows.size(); start += Predictor.MAX_INSTANCES) {
            int end = Math.min(rows.size(), start + Predictor.MAX_INSTANCES);
            List<Prediction> predicted;
            try {
                predicted = predictor.predict(rows.subList(start, end));
            } catch (InvalidInstanceException e) {
                predicted = new ArrayList<>();
                for (Map<String, ?> row : rows.subList(start, end)) {
                    try {
                        predicted.add(predictor.predict(List.of(row)).get(0));
                    } catch (InvalidInstanceException unscorable) {
                        predicted.add(null);
                    }
                }
            }
            for (int i = 0; i < predicted.size(); i++) {
                if (predicted.get(i) != null && predicted.get(i).label().equals(truth.get(start + i))) {
                    right++;
                }
            }
        }
        return (double) right / rows.size();
    }
}
