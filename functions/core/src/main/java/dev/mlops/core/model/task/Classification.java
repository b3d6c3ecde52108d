package dev.mlops.core.model.task;

import dev.mlops.core.data.Schema;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Scores;
import org.tribuo.Model;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.transform.TransformedModel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classification: a label is a class name (the trimmed cell), the model's output a Tribuo {@link Label}. Its
 * metrics are accuracy and macro-F1, and for two classes ROC AUC and PR AUC (average precision), all higher is
 * better, and log-loss (lower is better), with per-class precision, recall and F1 and the confusion matrix, as
 * scikit-learn computes them. A binary model decides by its signature's {@link ModelSignature.Threshold} on the
 * positive class's score (tuned on validation rows by {@link DecisionThreshold}). Classes are
 * <em>imbalanced</em> when the largest has more than {@value #IMBALANCE_RATIO} times the rows of the smallest;
 * then the automatic choices are macro-F1 and balanced class weights.
 */
public final class Classification extends Task<Label> {

    /** The one classification task. */
    public static final Classification TASK = new Classification();

    /** Fraction of correct predictions. */
    public static final String ACCURACY = "accuracy";
    /** Unweighted mean F1 over the classes. */
    public static final String MACRO_F1 = "macro_f1";
    /** Area under the ROC curve of the positive class (two classes only). */
    public static final String ROC_AUC = "roc_auc";
    /** Area under the precision-recall curve of the positive class, as average precision (two classes only). */
    public static final String PR_AUC = "pr_auc";
    /** Mean negative log-probability of the true class (probabilistic models only). */
    public static final String LOG_LOSS = "log_loss";

    /** Largest / smallest class count above which the classes count as imbalanced. */
    public static final double IMBALANCE_RATIO = 3.0;

    private static final LabelFactory FACTORY = new LabelFactory();

    private Classification() {
    }

    @Override
    public String id() {
        return Schema.CLASSIFICATION;
    }

    @Override
    public Class<Label> outputClass() {
        return Label.class;
    }

    @Override
    public OutputFactory<Label> outputFactory() {
        return FACTORY;
    }

    @Override
    public Label output(String cell) {
        return FACTORY.generateOutput(label(cell));
    }

    @Override
    public String label(String cell) {
        return cell.trim();
    }

    @Override
    public List<String> metrics() {
        return List.of(ACCURACY, MACRO_F1, ROC_AUC, PR_AUC, LOG_LOSS);
    }

    @Override
    public boolean higherIsBetter(String metric) {
        return !LOG_LOSS.equals(metric);
    }

    /** Whether a metric is defined for two classes only. */
    public static boolean binaryOnly(String metric) {
        return ROC_AUC.equals(metric) || PR_AUC.equals(metric);
    }

    /**
     * Tribuo flags its classification trees as not probabilistic, but their leaf scores are the training rows'
     * class fractions: probabilities in scikit-learn's sense ({@code predict_proba}) too.
     */
    @Override
    public boolean probabilistic(Model<Label> model) {
        Model<Label> inner = model instanceof TransformedModel<Label> t ? t.getInnerModel() : model;
        return model.generatesProbabilities() || inner instanceof TreeModel;
    }

    /**
     * The class and its scores (probabilities; a linear SVM's margins through a softmax), every class of the
     * signature present; a binary model's class is decided by the signature's threshold, and its positive class's
     * score goes with it.
     */
    @Override
    public Prediction prediction(org.tribuo.Prediction<Label> p, ModelSignature signature, boolean probabilistic) {
        if (p.getOutput() == null || !Double.isFinite(p.getOutput().getScore())) {
            return null;
        }
        Map<String, Label> raw = p.getOutputScores();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String cls : signature.classes()) {
            Label l = raw.get(cls);
            double score = l == null ? 0.0 : l.getScore();
            if (!Double.isFinite(score)) {
                return null;
            }
            scores.put(cls, score);
        }
        scores = probabilistic ? normalised(scores) : softmax(scores);
        ModelSignature.Threshold t = signature.threshold();
        if (t == null || !scores.containsKey(t.positiveClass())) {
            return new Prediction(p.getOutput().getLabel(), scores);
        }
        double score = scores.get(t.positiveClass());
        String label = t.tuned() ? DecisionThreshold.decide(signature.classes(), t, score) : p.getOutput().getLabel();
        return Prediction.thresholded(label, scores, score);
    }

    /** XGBoost computes in float: its probabilities sum to 1 only within 1e-7; rescaled in double. */
    private static Map<String, Double> normalised(Map<String, Double> probs) {
        double sum = probs.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum <= 0 || Math.abs(sum - 1) < 1e-12) {
            return probs;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        probs.forEach((k, v) -> out.put(k, v / sum));
        return out;
    }

    /** A linear SVM's margins mapped to scores that sum to 1 (not calibrated probabilities). */
    private static Map<String, Double> softmax(Map<String, Double> margins) {
        double max = margins.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double sum = 0;
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : margins.entrySet()) {
            double v = Math.exp(e.getValue() - max);
            out.put(e.getKey(), v);
            sum += v;
        }
        for (Map.Entry<String, Double> e : out.entrySet()) {
            e.setValue(e.getValue() / sum);
        }
        return out;
    }

    /** Whether label counts are imbalanced by the rule above. */
    public static boolean imbalanced(Map<String, Long> labelCounts) {
        if (labelCounts.size() < 2) {
            return false;
        }
        long max = Collections.max(labelCounts.values());
        long min = Collections.min(labelCounts.values());
        return max > IMBALANCE_RATIO * min;
    }

    /** The selection metric {@code auto} stands for: macro-F1 when the classes are imbalanced, accuracy otherwise. */
    public String autoMetric(Map<String, Long> labelCounts) {
        return imbalanced(labelCounts) ? MACRO_F1 : ACCURACY;
    }

    /**
     * Computes every metric from true labels and predictions: label metrics, the confusion matrix, log-loss
     * (when {@code probabilities}), ROC AUC, PR AUC and the ROC and precision-recall curves (binary problems,
     * scores of the second class in sorted order).
     *
     * @param truth         true labels
     * @param predicted     predictions, same length
     * @param probabilities whether the prediction scores are class probabilities
     * @return metrics with {@code trainRows} 0
     */
    @Override
    public ClassificationMetrics evaluate(List<String> truth, List<Prediction> predicted, boolean probabilities) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted labels");
        }
        return evaluate(truth, Scores.of(predicted, probabilities));
    }

    /**
     * {@link #evaluate(List, List, boolean)} on a model's answers as arrays ({@link Scores}), as evaluation of
     * many rows gives them.
     *
     * @param truth  true labels, one per scored row
     * @param scored the model's answers
     * @return metrics with {@code trainRows} 0
     */
    public ClassificationMetrics evaluate(List<String> truth, Scores scored) {
        if (truth.size() != scored.rows()) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted labels");
        }
        List<String> classes = scored.classes();
        int[] predictedIndex = scored.predicted();
        List<String> predictedLabels = new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return classes.get(predictedIndex[i]);
            }

            @Override
            public int size() {
                return predictedIndex.length;
            }
        };
        ClassificationMetrics labels = evaluateLabels(truth, predictedLabels);
        Map<String, Map<String, Long>> confusion = new TreeMap<>();
        for (String c : labels.perClass().keySet()) {
            Map<String, Long> row = new TreeMap<>();
            labels.perClass().keySet().forEach(p -> row.put(p, 0L));
            confusion.put(c, row);
        }
        for (int i = 0; i < truth.size(); i++) {
            confusion.get(truth.get(i)).merge(predictedLabels.get(i), 1L, Long::sum);
        }
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        Double logLoss = null;
        if (scored.probabilistic()) {
            double[] losses = new double[truth.size()];
            for (int i = 0; i < truth.size(); i++) {
                Integer c = index.get(truth.get(i));
                double p = c == null ? 0 : scored.score(i, c);
                double q = Double.isNaN(p) ? 0 : p;
                losses[i] = -Math.log(Math.min(1 - 1e-15, Math.max(1e-15, q)));
            }
            // Summed in sorted order: the same rows in another order give the same bits.
            java.util.Arrays.sort(losses);
            double sum = 0;
            for (double l : losses) {
                sum += l;
            }
            logLoss = sum / truth.size();
        }
        Double auc = null;
        Double averagePrecision = null;
        BinaryCurves curves = null;
        TreeSet<String> sorted = new TreeSet<>(classes);
        if (sorted.size() == 2) {
            String positive = sorted.last();
            int p = index.get(positive);
            double[] scores = new double[truth.size()];
            boolean[] pos = new boolean[truth.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = scored.score(i, p);
                pos[i] = truth.get(i).equals(positive);
            }
            auc = rocAuc(scores, pos);
            averagePrecision = BinaryCurves.averagePrecision(scores, pos);
            curves = BinaryCurves.of(positive, scores, pos);
        }
        return new ClassificationMetrics(labels.accuracy(), labels.macroF1(), labels.perClass(), 0, labels.testRows(),
                confusion, logLoss, auc, averagePrecision, curves);
    }

    /** Mann-Whitney U / (positives × negatives), ties counted half; null when one class is absent. */
    static Double rocAuc(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += midRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Computes metrics from true and predicted labels; classes are the union of both lists.
     *
     * @param truth     true labels
     * @param predicted predicted labels, same length
     * @return metrics with {@code trainRows} 0
     */
    public ClassificationMetrics evaluateLabels(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size() || truth.isEmpty()) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted labels");
        }
        TreeSet<String> classes = new TreeSet<>(truth);
        classes.addAll(predicted);
        Map<String, long[]> counts = new TreeMap<>(); // tp, predicted, actual
        classes.forEach(c -> counts.put(c, new long[3]));
        long correct = 0;
        for (int i = 0; i < truth.size(); i++) {
            String y = truth.get(i);
            String p = predicted.get(i);
            counts.get(p)[1]++;
            counts.get(y)[2]++;
            if (y.equals(p)) {
                correct++;
                counts.get(y)[0]++;
            }
        }
        Map<String, ClassMetrics> per = new TreeMap<>();
        double f1Sum = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            double precision = c[1] == 0 ? 0 : (double) c[0] / c[1];
            double recall = c[2] == 0 ? 0 : (double) c[0] / c[2];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            per.put(e.getKey(), new ClassMetrics(precision, recall, f1, c[2]));
            f1Sum += f1;
        }
        return new ClassificationMetrics((double) correct / truth.size(), f1Sum / per.size(), per, 0, truth.size());
    }
}
