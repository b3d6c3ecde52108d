package dev.mlops.core.model.explain;

import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.Predictor;
import org.tribuo.Example;
import org.tribuo.classification.Label;

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
 * <p>Cost: one call of the model per column, on {@value #REPEATS} shuffled copies of at most {@value #MAX_ROWS}
 * rows (the first ones, when there are more), plus one on the rows as they are.
 */
public final class PermutationImportance {

    /** Shuffles per column. */
    public static final int REPEATS = 5;
    /** Most rows measured on. */
    public static final int MAX_ROWS = 1_000;

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
        double baseline = right(predictor, measured, labels, 1)[0];
        Map<String, Double> mean = new HashMap<>();
        Map<String, Double> spread = new HashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> columns = new Columns(predictor.signature()).names();
        for (String column : columns) {
            // Every shuffle of the column in one call of the model: one native matrix for XGBoost, not five.
            List<Map<String, Object>> shuffles = new ArrayList<>(n * REPEATS);
            for (int r = 0; r < REPEATS; r++) {
                shuffles.addAll(shuffled(measured, column, random));
            }
            double[] accuracy = right(predictor, shuffles, labels, REPEATS);
            double m = 0;
            for (double a : accuracy) {
                m += (baseline - a) / REPEATS;
            }
            double v = 0;
            for (double a : accuracy) {
                v += (baseline - a - m) * (baseline - a - m) / REPEATS;
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
     * The accuracy of each of {@code copies} consecutive copies of the rows (copy k is rows {@code k·n} to {@code
     * (k+1)·n − 1}, row i of each against {@code truth[i]}), all scored in one call of the model. The predicted
     * class is the model's, as {@link Predictor#predict} answers it. A row the model cannot score (every value
     * missing or unknown once shuffled, or non-finite scores) counts as wrong.
     */
    private static double[] right(Predictor predictor, List<? extends Map<String, ?>> rows, List<String> truth,
                                  int copies) {
        List<Example<Label>> examples = new ArrayList<>(rows.size());
        List<Integer> at = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                examples.add(predictor.examples(List.of(rows.get(i)), 1).get(0));
                at.add(i);
            } catch (InvalidInstanceException unscorable) {
                // wrong, by definition
            }
        }
        int n = truth.size();
        int[] right = new int[copies];
        List<org.tribuo.Prediction<Label>> predicted = examples.isEmpty() ? List.of()
                : predictor.classificationModel().predict(examples);
        for (int j = 0; j < predicted.size(); j++) {
            Label output = predicted.get(j).getOutput();
            int i = at.get(j);
            if (output != null && Double.isFinite(output.getScore()) && output.getLabel().equals(truth.get(i % n))) {
                right[i / n]++;
            }
        }
        double[] accuracy = new double[copies];
        for (int k = 0; k < copies; k++) {
            accuracy[k] = (double) right[k] / n;
        }
        return accuracy;
    }
}
