package dev.mlops.core.model.explain;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.model.FeatureEncoder;
import dev.mlops.core.model.ModelSignature;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which signature column an encoded feature comes from: a numeric column's feature is named after it, a
 * categorical column's one-hot features are {@code column=value} ({@link FeatureEncoder#oneHotName}).
 */
final class Columns {

    private final List<Column> columns;
    private final Map<String, String> cache = new HashMap<>();

    Columns(ModelSignature signature) {
        this.columns = signature.features();
    }

    /** The column names, in signature order. */
    List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** The column a feature belongs to, or null when none does. */
    synchronized String of(String feature) {
        return cache.computeIfAbsent(feature, this::find);
    }

    private String find(String feature) {
        String best = null;
        for (Column c : columns) {
            if (c.type() == ColumnType.NUMERIC ? feature.equals(c.name())
                    : feature.startsWith(c.name() + "=") && (best == null || c.name().length() > best.length())) {
                if (c.type() == ColumnType.NUMERIC) {
                    return c.name();
                }
                best = c.name();
            }
        }
        return best;
    }

    /** A zero per column, in signature order, to add contributions into. */
    Map<String, Double> zeros() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Column c : columns) {
            out.put(c.name(), 0.0);
        }
        return out;
    }
}
