package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A labelled table as training and evaluation read it: one primitive array per schema column instead of a string
 * per cell. A numeric feature is a {@code float[]} ({@code NaN} where missing), a categorical feature an
 * {@code int[]} of codes into its categories ({@code -1} where missing), the label an {@code int[]} of codes into
 * the sorted classes ({@code -1} where missing): 4 bytes per cell, where a table of strings takes 40 or more.
 * Values are stored as {@code float}, the precision XGBoost works in. Rows keep the table's row indices. The
 * arrays are never changed once built.
 */
public final class DenseTable {

    private final Schema schema;
    private final int rows;
    private final float[][] numbers;
    private final int[][] codes;
    private final List<List<String>> categories;
    private final int[] labels;
    private final List<String> classes;

    private DenseTable(Schema schema, int rows, float[][] numbers, int[][] codes, List<List<String>> categories,
                       int[] labels, List<String> classes) {
        this.schema = schema;
        this.rows = rows;
        this.numbers = numbers;
        this.codes = codes;
        this.categories = categories;
        this.labels = labels;
        this.classes = classes;
    }

    /**
     * The dense form of a validated table.
     *
     * @throws IllegalArgumentException when a schema column is missing or a numeric cell is not a finite number
     */
    public static DenseTable of(CsvTable table, Schema schema) {
        int n = table.rows().size();
        int features = schema.features().size();
        float[][] numbers = new float[features][];
        int[][] codes = new int[features][];
        List<List<String>> categories = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            Column c = schema.features().get(f);
            int column = column(table, c.name());
            if (c.type() == ColumnType.NUMERIC) {
                numbers[f] = new float[n];
                for (int r = 0; r < n; r++) {
                    numbers[f][r] = number(table.rows().get(r).get(column), c.name(), r);
                }
                categories.add(List.of());
            } else {
                Map<String, Integer> vocabulary = new HashMap<>();
                List<String> byCode = new ArrayList<>();
                codes[f] = new int[n];
                for (int r = 0; r < n; r++) {
                    String cell = table.rows().get(r).get(column);
                    codes[f][r] = Missing.isMissing(cell) ? -1 : vocabulary.computeIfAbsent(cell.trim(), v -> {
                        byCode.add(v);
                        return byCode.size() - 1;
                    });
                }
                categories.add(List.copyOf(byCode));
            }
        }
        int label = column(table, schema.label());
        // Classes in sorted order, so their codes do not depend on which row came first.
        TreeSet<String> sorted = new TreeSet<>();
        for (List<String> row : table.rows()) {
            if (!Missing.isMissing(row.get(label))) {
                sorted.add(row.get(label).trim());
            }
        }
        List<String> classes = List.copyOf(sorted);
        Map<String, Integer> classCode = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            classCode.put(classes.get(c), c);
        }
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            String cell = table.rows().get(r).get(label);
            labels[r] = Missing.isMissing(cell) ? -1 : classCode.get(cell.trim());
        }
        return new DenseTable(schema, n, numbers, codes, List.copyOf(categories), labels, classes);
    }

    private static int column(CsvTable table, String name) {
        int i = table.columnIndex(name);
        if (i < 0) {
            throw new IllegalArgumentException("column \"" + name + "\" is not in the table; its columns are "
                    + table.header());
        }
        return i;
    }

    private static float number(String cell, String column, int row) {
        if (Missing.isMissing(cell)) {
            return Float.NaN;
        }
        double d = Numbers.parse(cell);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("line " + (row + 2) + ": \"" + cell + "\" in numeric column \""
                    + column + "\" is not a finite number");
        }
        return (float) d;
    }

    /** The schema the columns follow. */
    public Schema schema() {
        return schema;
    }

    /** Number of rows (labelled or not). */
    public int rows() {
        return rows;
    }

    /** Number of feature columns (the schema's features, in order). */
    public int features() {
        return schema.features().size();
    }

    /** Whether feature {@code f} is numeric (else categorical). */
    public boolean numeric(int f) {
        return numbers[f] != null;
    }

    /** The values of numeric feature {@code f}, one per row, {@code NaN} where missing (do not modify). */
    public float[] numbers(int f) {
        if (numbers[f] == null) {
            throw new IllegalArgumentException("feature " + schema.features().get(f).name() + " is not numeric");
        }
        return numbers[f];
    }

    /** The category codes of categorical feature {@code f}, one per row, -1 where missing (do not modify). */
    public int[] codes(int f) {
        if (codes[f] == null) {
            throw new IllegalArgumentException("feature " + schema.features().get(f).name() + " is not categorical");
        }
        return codes[f];
    }

    /** The categories of feature {@code f} by code (trimmed cells; empty for a numeric feature). */
    public List<String> categories(int f) {
        return categories.get(f);
    }

    /** The label code of every row into {@link #classes()}, -1 where missing (do not modify). */
    public int[] labels() {
        return labels;
    }

    /** The classes (trimmed label cells), sorted. */
    public List<String> classes() {
        return classes;
    }
}
