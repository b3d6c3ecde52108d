package dev.mlops.core.model;

import dev.mlops.core.data.Column;
import java.util.List;
import java.util.Objects;

/**
 * What a model expects and produces: the typed input features, the label name and the possible classes.
 *
 * @param features input features in training order
 * @param label    name of the label column
 * @param classes  all label classes, sorted
 */
public record ModelSignature(List<Column> features, String label, List<String> classes) {

    /** Defensive copies, rejecting nulls. */
    public ModelSignature {
        features = List.copyOf(features);
        Objects.requireNonNull(label, "label");
        classes = List.copyOf(classes);
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
