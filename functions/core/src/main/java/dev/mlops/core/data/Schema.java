package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The typed description of a training table: a categorical label and typed feature columns.
 *
 * @param label    name of the label column; label values are always treated as categorical strings
 * @param features feature columns in header order (the label excluded)
 */
public record Schema(String label, List<Column> features) {

    /** Defensive copy, rejecting nulls and a label that is also a feature. */
    public Schema {
        Objects.requireNonNull(label, "label");
        features = List.copyOf(features);
        for (Column c : features) {
            if (c.name().equals(label)) {
                throw new SchemaException("label column \"" + label + "\" cannot also be a feature");
            }
        }
    }

    /**
     * Infers a schema: a feature is {@link ColumnType#NUMERIC} if every non-missing cell (see
     * {@link Missing#isMissing(String)}) is a finite number (see {@link Numbers}), else
     * {@link ColumnType#CATEGORICAL}. A column with only missing cells is numeric.
     *
     * @param t           the table
     * @param labelColumn name of the label column
     * @return the inferred schema
     * @throws SchemaException if the label column is absent
     */
    public static Schema infer(CsvTable t, String labelColumn) {
        int labelIndex = t.columnIndex(labelColumn);
        if (labelIndex < 0) {
            throw new SchemaException("label column \"" + labelColumn + "\" not found; the header has: "
                    + String.join(", ", t.header()));
        }
        List<Column> cols = new ArrayList<>();
        for (int c = 0; c < t.header().size(); c++) {
            if (c == labelIndex) {
                continue;
            }
            boolean numeric = true;
            for (List<String> row : t.rows()) {
                String cell = row.get(c);
                if (!Missing.isMissing(cell) && !Numbers.isNumber(cell)) {
                    numeric = false;
                    break;
                }
            }
            cols.add(new Column(t.header().get(c), numeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL));
        }
        return new Schema(labelColumn, cols);
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
}
