package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The typed description of a training table: the task (what the label is: a class or a number), the label and
 * typed feature columns, and what the first accepted upload looked like, which later uploads are checked against.
 *
 * <p>Stored as {@code schemas/<dataset>/schema.json}, meant to be edited by people: remove a column's
 * {@code domains} entry (or a part of it) to stop checking it, add a value to accept it.
 *
 * @param label       name of the label column: classes (strings) for a classification, numbers for a regression
 * @param features    feature columns in header order (the label excluded)
 * @param labelValues the label classes seen on the first upload ({@code null}: not checked; always for a
 *                    regression)
 * @param domains     per feature, what its values looked like ({@code null} or absent: not checked)
 * @param task        {@value #CLASSIFICATION} or {@value #REGRESSION}; a schema stored before tasks were named is a
 *                    classification's
 */
public record Schema(String label, List<Column> features, List<String> labelValues, Map<String, Domain> domains,
                     String task) {

    /** The task of a class label. */
    public static final String CLASSIFICATION = "classification";
    /** The task of a numeric label. */
    public static final String REGRESSION = "regression";
    /** Every task, as configs and uploads name it. */
    public static final List<String> TASKS = List.of(CLASSIFICATION, REGRESSION);

    /**
     * What one feature's values looked like on the first upload.
     *
     * @param min          smallest number ({@code null}: not checked)
     * @param max          largest number ({@code null}: not checked)
     * @param values       the categories ({@code null}: not checked, e.g. too many to list)
     * @param completeness share of non-missing cells ({@code null}: not checked)
     */
    public record Domain(Double min, Double max, List<String> values, Double completeness) {

        /** Copies the values. */
        public Domain {
            values = values == null ? null : List.copyOf(values);
        }

        /** A numeric column's range and completeness. */
        public static Domain numeric(Double min, Double max, Double completeness) {
            return new Domain(min, max, null, completeness);
        }

        /** A categorical column's values (null: too many to list) and completeness. */
        public static Domain categorical(List<String> values, Double completeness) {
            return new Domain(null, null, values, completeness);
        }
    }

    /** Defensive copy, rejecting nulls, an unknown task and a label that is also a feature. */
    public Schema {
        task = task == null ? CLASSIFICATION : task;
        if (!TASKS.contains(task)) {
            throw new SchemaException("unknown task \"" + task + "\"; expected classification or regression");
        }
        Objects.requireNonNull(label, "label");
        features = List.copyOf(features);
        for (Column c : features) {
            if (c.name().equals(label)) {
                throw new SchemaException("label column \"" + label + "\" cannot also be a feature");
            }
        }
        labelValues = labelValues == null ? null : List.copyOf(labelValues);
        domains = domains == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(domains));
    }

    /** A classification's schema. */
    public Schema(String label, List<Column> features, List<String> labelValues, Map<String, Domain> domains) {
        this(label, features, labelValues, domains, CLASSIFICATION);
    }

    /** A classification's schema of types only (nothing recorded about the values). */
    public Schema(String label, List<Column> features) {
        this(label, features, null, null);
    }

    /** Whether the label is a number. */
    public boolean regression() {
        return REGRESSION.equals(task);
    }

    /** The same schema for another task. */
    public Schema withTask(String t) {
        return new Schema(label, features, labelValues, domains, t);
    }

    /**
     * Infers a schema from a table in memory with the same rules as a first upload
     * ({@link DatasetScanner}): a feature is {@link ColumnType#NUMERIC} if its non-missing cells are numbers but
     * for at most {@link ValidationConfig#typeMismatchMaxShare()} of them, else {@link ColumnType#CATEGORICAL}.
     * The types only are returned.
     *
     * The task is inferred too ({@link SchemaInference#task}).
     *
     * @param t           the table
     * @param labelColumn name of the label column
     * @return the inferred schema
     * @throws SchemaException if the label column is absent
     */
    public static Schema infer(CsvTable t, String labelColumn) {
        return infer(t, labelColumn, null);
    }

    /**
     * As {@link #infer(CsvTable, String)}, for a given task (null: inferred).
     *
     * @throws SchemaException if the label column is absent
     */
    public static Schema infer(CsvTable t, String labelColumn, String task) {
        if (t.columnIndex(labelColumn) < 0) {
            throw new SchemaException("label column \"" + labelColumn + "\" not found; the header has: "
                    + String.join(", ", t.header()));
        }
        DatasetScan scan = DatasetScanner.scan(t, DatasetScanner.Mode.infer(labelColumn, task),
                ValidationConfig.defaults());
        return new Schema(labelColumn, scan.schema().features(), null, null, scan.schema().task());
    }

    /**
     * All column names: the features in order, then the label.
     *
     * @return feature names followed by the label name
     */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(features.size() + 1);
        features.forEach(f -> names.add(f.name()));
        names.add(label);
        return names;
    }

    /**
     * Looks up a feature column by name.
     *
     * @param name column name
     * @return the column, or {@code null} if it is not a feature of this schema
     */
    public Column feature(String name) {
        for (Column c : features) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** What the schema records about a feature's values, or {@code null}. */
    public Domain domain(String name) {
        return domains == null ? null : domains.get(name);
    }
}
