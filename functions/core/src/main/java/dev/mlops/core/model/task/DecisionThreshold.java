package dev.mlops.core.model.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A binary classifier's decision threshold, chosen on the validation rows' scores (scikit-learn's {@code
 * TunedThresholdClassifierCV} does the same): the positive class is predicted when its score is at least the
 * threshold. What the threshold optimises is the dataset's {@code training.threshold} ({@link Rule}):
 * <ul>
 *   <li>{@code f1}: the F1 of the positive class;</li>
 *   <li>{@code recall}: the highest precision among the thresholds whose recall is at least {@code min_recall};</li>
 *   <li>{@code cost}: the lowest total cost of the confusion matrix's cells ({@code costs}: {@code false_positive},
 *       {@code false_negative}, {@code true_positive}, {@code true_negative}; absent cells cost 0).</li>
 * </ul>
 * The candidates are the validation rows' distinct scores; the threshold is placed halfway between the chosen score
 * and the next lower one, so the validation rows fall on the same sides and a new score between them goes with
 * the nearer. Ties go to the higher threshold (fewer positive calls).
 */
public final class DecisionThreshold {

    public static final String F1 = "f1";
    public static final String RECALL = "recall";
    public static final String COST = "cost";
    /** The cells of a cost matrix. */
    public static final Set<String> COST_CELLS = Set.of("false_positive", "false_negative", "true_positive",
            "true_negative");

    /**
     * The {@code training.threshold} section of a dataset's config.
     *
     * @param objective     {@code default} (the model's own decision, no tuning), {@code f1}, {@code recall} or
     *                      {@code cost}
     * @param minRecall     for {@code recall}: the recall floor, in (0, 1]
     * @param costs         for {@code cost}: the cost of each cell of the confusion matrix
     * @param positiveClass the class scored (default: the second of the two in sorted order, scikit-learn's
     *                      positive label)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(String objective, Double minRecall, Map<String, Double> costs, String positiveClass) {

        public Rule {
            objective = objective == null ? ModelSignature.Threshold.DEFAULT : objective;
            if (!Set.of(ModelSignature.Threshold.DEFAULT, F1, RECALL, COST).contains(objective)) {
                throw new ContractException("field \"training.threshold.objective\": expected default, f1, recall or"
                        + " cost, got \"" + objective + "\"");
            }
            if (RECALL.equals(objective) && (minRecall == null || !(minRecall > 0 && minRecall <= 1))) {
                throw new ContractException("field \"training.threshold.min_recall\": the recall floor, in (0, 1],"
                        + " is required for the recall objective" + (minRecall == null ? "" : "; got " + minRecall));
            }
            if (!RECALL.equals(objective) && minRecall != null) {
                throw new ContractException("field \"training.threshold.min_recall\": only the recall objective"
                        + " takes it");
            }
            if (COST.equals(objective)) {
                if (costs == null || costs.isEmpty()) {
                    throw new ContractException("field \"training.threshold.costs\": the cost objective needs the"
                            + " cost of false_positive and false_negative (and optionally true_positive,"
                            + " true_negative)");
                }
                for (Map.Entry<String, Double> e : costs.entrySet()) {
                    if (!COST_CELLS.contains(e.getKey())) {
                        throw new ContractException("field \"training.threshold.costs." + e.getKey()
                                + "\": expected false_positive, false_negative, true_positive or true_negative");
                    }
                    if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                        throw new ContractException("field \"training.threshold.costs." + e.getKey()
                                + "\": a finite number");
                    }
                }
                costs = new TreeMap<>(costs);
            } else if (costs != null) {
                throw new ContractException("field \"training.threshold.costs\": only the cost objective takes it");
            }
        }

        /** The model's own decision. */
        public static Rule defaults() {
            return new Rule(null, null, null, null);
        }

        private double cost(String cell) {
            return costs.getOrDefault(cell, 0.0);
        }
    }

    private DecisionThreshold() {
    }

    /** The positive class of two: the rule's, else the second in sorted order. */
    public static String positiveClass(List<String> classes, Rule rule) {
        List<String> sorted = classes.stream().sorted().toList();
        if (rule.positiveClass() == null) {
            return sorted.get(sorted.size() - 1);
        }
        if (!sorted.contains(rule.positiveClass())) {
            throw new IllegalArgumentException("training.threshold.positive_class \"" + rule.positiveClass()
                    + "\" is not a class of the label; its classes are " + sorted);
        }
        return rule.positiveClass();
    }

    /** The class a score decides for: the positive class at or above the threshold, the other below. */
    public static String decide(List<String> classes, ModelSignature.Threshold t, double score) {
        if (score >= t.value()) {
            return t.positiveClass();
        }
        return classes.get(0).equals(t.positiveClass()) ? classes.get(1) : classes.get(0);
    }

    /**
     * Predictions decided again by a threshold (as the API decides them): a tuned threshold sets each label from the
     * positive class's score; the model's own decision keeps it.
     *
     * @param classes   the two classes
     * @param t         the threshold
     * @param predicted the model's predictions (scores of both classes)
     */
    public static List<Prediction> apply(List<String> classes, ModelSignature.Threshold t, List<Prediction> predicted) {
        List<Prediction> out = new ArrayList<>(predicted.size());
        for (Prediction p : predicted) {
            double score = p.scores().getOrDefault(t.positiveClass(), 0.0);
            String label = t.tuned() ? decide(classes, t, score) : p.label();
            out.add(Prediction.thresholded(label, p.scores(), score));
        }
        return out;
    }

    /**
     * Chooses the threshold of a binary model from its predictions of some rows (validation rows, or the pooled
     * out-of-fold predictions of cross-validation).
     *
     * @param classes   the two classes
     * @param truth     the rows' true classes
     * @param predicted the model's predictions of them (scores of both classes)
     */
    public static ModelSignature.Threshold choose(List<String> classes, Rule rule, List<String> truth,
                                                  List<Prediction> predicted) {
        String positive = positiveClass(classes, rule);
        if (ModelSignature.Threshold.DEFAULT.equals(rule.objective())) {
            return new ModelSignature.Threshold(positive, 0.5, ModelSignature.Threshold.DEFAULT,
                    "the model's own decision: the class with the higher score");
        }
        double[] scores = new double[truth.size()];
        boolean[] isPositive = new boolean[truth.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = predicted.get(i).scores().getOrDefault(positive, 0.0);
            isPositive[i] = positive.equals(truth.get(i));
        }
        return choose(positive, rule, scores, isPositive);
    }

    /** The threshold on the positive class's scores; see the class comment. */
    static ModelSignature.Threshold choose(String positive, Rule rule, double[] scores, boolean[] isPositive) {
        int n = scores.length;
        long positives = 0;
        for (boolean p : isPositive) {
            positives += p ? 1 : 0;
        }
        long negatives = n - positives;
        double[] distinct = Arrays.stream(scores).distinct().sorted().toArray();
        // Counts at each candidate, from the highest score down: predicted positive when score >= candidate.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<double[]> candidates = new ArrayList<>(); // threshold, tp, fp
        candidates.add(new double[] {Double.POSITIVE_INFINITY, 0, 0});
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                if (isPositive[order[k]]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            candidates.add(new double[] {scores[order[i]], tp, fp});
            i = j + 1;
        }
        double[] best = null;
        double bestValue = Double.NaN;
        for (double[] c : candidates) {
            double value = objective(rule, c[1], c[2], positives, negatives);
            if (Double.isNaN(value)) {
                continue;
            }
            // Candidates run from the highest threshold down: a strictly better value is needed to lower it.
            if (best == null || value > bestValue) {
                best = c;
                bestValue = value;
            }
        }
        if (best == null) {
            return new ModelSignature.Threshold(positive, 0.5, ModelSignature.Threshold.DEFAULT,
                    "no threshold reaches " + describe(rule) + " on the " + n + " validation rows; the model's own"
                            + " decision stands");
        }
        double threshold = placed(best[0], distinct);
        long p = (long) best[1];
        long f = (long) best[2];
        double precision = p + f == 0 ? 0 : (double) p / (p + f);
        double recall = positives == 0 ? 0 : (double) p / positives;
        String achieved = COST.equals(rule.objective())
                ? String.format(Locale.ROOT, "cost %.4g", -bestValue)
                : String.format(Locale.ROOT, "%s %.4f", F1.equals(rule.objective()) ? "F1" : "precision", bestValue);
        return new ModelSignature.Threshold(positive, threshold, rule.objective(), String.format(Locale.ROOT,
                "tuned on %d validation rows for %s: %s, precision %.4f, recall %.4f of %s at %.6g", n, describe(rule),
                achieved, precision, recall, positive, threshold));
    }

    /** The value to maximise at a candidate (NaN: not allowed). */
    private static double objective(Rule rule, double tp, double fp, long positives, long negatives) {
        double fn = positives - tp;
        double tn = negatives - fp;
        return switch (rule.objective()) {
            case F1 -> tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
            case RECALL -> positives > 0 && tp / positives >= rule.minRecall()
                    ? (tp + fp == 0 ? 0 : tp / (tp + fp)) : Double.NaN;
            default -> -(fp * rule.cost("false_positive") + fn * rule.cost("false_negative")
                    + tp * rule.cost("true_positive") + tn * rule.cost("true_negative"));
        };
    }

    /** Halfway between the chosen score and the next lower distinct one (the chosen score when it is the lowest). */
    private static double placed(double chosen, double[] distinct) {
        if (Double.isInfinite(chosen)) {
            return Math.nextUp(distinct.length == 0 ? 1.0 : distinct[distinct.length - 1]);
        }
        int at = Arrays.binarySearch(distinct, chosen);
        return at <= 0 ? chosen : (chosen + distinct[at - 1]) / 2;
    }

    private static String describe(Rule rule) {
        return switch (rule.objective()) {
            case RECALL -> "the highest precision at recall >= " + rule.minRecall();
            case COST -> "the lowest cost " + rule.costs();
            default -> rule.objective();
        };
    }
}
