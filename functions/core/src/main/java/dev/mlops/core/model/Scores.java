package dev.mlops.core.model;

import java.util.List;

/**
 * A model's answers for many rows at once, as arrays: what {@link Predictor#score} gives evaluation, instead of a
 * {@link Prediction} (and its map) per row. Row {@code i}'s predicted class is {@code classes.get(predicted[i])}
 * and its score for class {@code c} is {@code scores[i * classes.size() + c]}; the scores of a row sum to 1
 * (probabilities, or a linear SVM's margins through a softmax, as {@link Prediction} has them).
 *
 * @param classes       the model's classes, in its signature's order
 * @param predicted     one class index per row
 * @param scores        rows × classes, row-major
 * @param probabilistic whether the scores are the model's class probabilities
 */
public record Scores(List<String> classes, int[] predicted, double[] scores, boolean probabilistic) {

    /** Checks the shapes. */
    public Scores {
        classes = List.copyOf(classes);
        if (scores.length != (long) predicted.length * classes.size()) {
            throw new IllegalArgumentException("scores for " + predicted.length + " rows of " + classes.size()
                    + " classes need " + (long) predicted.length * classes.size() + " numbers, got " + scores.length);
        }
    }

    /** Number of rows scored. */
    public int rows() {
        return predicted.length;
    }

    /** The score of class index {@code c} for row {@code i}. */
    public double score(int i, int c) {
        return scores[i * classes.size() + c];
    }

    /**
     * The answers as {@link Prediction}s, made one at a time as they are read (a view: nothing is copied; the
     * scores of each in {@link #classes()} order). {@link #of} gives these arrays back without a copy.
     */
    public List<Prediction> predictions() {
        return new View(this);
    }

    /** {@link #predictions()}: a prediction per row, made when it is read. */
    private static final class View extends java.util.AbstractList<Prediction> implements java.util.RandomAccess {
        private final Scores scores;

        View(Scores scores) {
            this.scores = scores;
        }

        @Override
        public Prediction get(int i) {
            java.util.Map<String, Double> byClass = new java.util.LinkedHashMap<>();
            for (int c = 0; c < scores.classes.size(); c++) {
                byClass.put(scores.classes.get(c), scores.score(i, c));
            }
            return new Prediction(scores.classes.get(scores.predicted[i]), byClass);
        }

        @Override
        public int size() {
            return scores.rows();
        }
    }

    /** The same answers as arrays (from predictions made one map at a time, or {@link #predictions()}' own). */
    public static Scores of(List<Prediction> predictions, boolean probabilistic) {
        if (predictions instanceof View v && v.scores.probabilistic == probabilistic) {
            return v.scores;
        }
        if (predictions.isEmpty()) {
            return new Scores(List.of(), new int[0], new double[0], probabilistic);
        }
        List<String> classes = List.copyOf(predictions.get(0).scores().keySet());
        int k = classes.size();
        int[] predicted = new int[predictions.size()];
        double[] scores = new double[predictions.size() * k];
        for (int i = 0; i < predicted.length; i++) {
            Prediction p = predictions.get(i);
            predicted[i] = classes.indexOf(p.label());
            for (int c = 0; c < k; c++) {
                Double s = p.scores().get(classes.get(c));
                scores[i * k + c] = s == null ? 0 : s;
            }
        }
        return new Scores(classes, predicted, scores, probabilistic);
    }

    /**
     * Predictions of rows scored in parts, in order, as one list: parts that are all {@link #predictions()} views
     * are joined as arrays ({@link #concat}: no {@link Prediction} per row is made), others copied.
     */
    public static List<Prediction> join(List<List<Prediction>> parts) {
        if (!parts.isEmpty() && parts.stream().allMatch(p -> p instanceof View)) {
            return concat(parts.stream().map(p -> ((View) p).scores).toList()).predictions();
        }
        List<Prediction> all = new java.util.ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    /**
     * Answers for rows scored in parts, in order (the folds of a cross-validation): the classes of all parts, in
     * the order they first appear; a part scores 0 for a class its model does not have.
     */
    public static Scores concat(List<Scores> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<String> classes = new java.util.ArrayList<>();
        int rows = 0;
        boolean probabilistic = true;
        for (Scores p : parts) {
            p.classes().stream().filter(c -> !classes.contains(c)).forEach(classes::add);
            rows += p.rows();
            probabilistic &= p.probabilistic();
        }
        int k = classes.size();
        int[] predicted = new int[rows];
        double[] scores = new double[rows * k];
        int at = 0;
        for (Scores p : parts) {
            int[] to = p.classes().stream().mapToInt(classes::indexOf).toArray();
            for (int i = 0; i < p.rows(); i++) {
                predicted[at + i] = to[p.predicted()[i]];
                for (int c = 0; c < to.length; c++) {
                    scores[(at + i) * k + to[c]] = p.score(i, c);
                }
            }
            at += p.rows();
        }
        return new Scores(classes, predicted, scores, probabilistic);
    }
}
