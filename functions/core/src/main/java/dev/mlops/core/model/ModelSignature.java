package dev.mlops.core.model;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.Schema;
import java.util.List;
import java.util.Objects;

/**
 * What a model expects and produces: the typed input features, the label name, the task, the possible classes
 * and, for a binary classifier, its decision threshold. A signature stored before tasks were named is a
 * classification's.
 *
 * @param features  input features in training order
 * @param label     name of the label column
 * @param classes   all label classes, sorted (empty for a regression)
 * @param task      {@code classification} or {@code regression}
 * @param threshold how a binary classifier decides between its two classes (null: not binary, or stored before
 *                  thresholds existed: the class with the higher score)
 */
public record ModelSignature(List<Column> features, String label, List<String> classes, String task,
                             Threshold threshold) {

    /**
     * A binary classifier's decision rule: the positive class when its score is at least {@code value}.
     *
     * @param positiveClass the class the score is of
     * @param value         the threshold on its score
     * @param objective     what chose it: {@code default} (the class with the higher score, i.e. 0.5 on
     *                      probabilities; the model's own decision), {@code f1}, {@code recall} or {@code cost}
     *                      (tuned on the validation rows)
     * @param reason        how it was chosen, with the numbers
     */
    public record Threshold(String positiveClass, double value, String objective, String reason) {

        /** The objective of the model's own decision: no threshold is applied. */
        public static final String DEFAULT = "default";

        public Threshold {
            Objects.requireNonNull(positiveClass, "positiveClass");
            Objects.requireNonNull(objective, "objective");
        }

        /** Whether the threshold was tuned (otherwise the model's own decision stands). */
        public boolean tuned() {
            return !DEFAULT.equals(objective);
        }
    }

    /** Defensive copies, rejecting nulls; a missing task is a classification. */
    public ModelSignature {
        features = List.copyOf(features);
        Objects.requireNonNull(label, "label");
        classes = classes == null ? List.of() : List.copyOf(classes);
        task = task == null ? Schema.CLASSIFICATION : task;
    }

    /** A classification's signature without a threshold. */
    public ModelSignature(List<Column> features, String label, List<String> classes) {
        this(features, label, classes, Schema.CLASSIFICATION, null);
    }

    /** The same signature with a decision threshold. */
    public ModelSignature withThreshold(Threshold t) {
        return new ModelSignature(features, label, classes, task, t);
    }

    /**
     * Looks up a feature by name.
     *
     * @param name feature name
     * @return the column or {@code null}
     */
    public Column feature(String name) {
        for (Column c : features) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
