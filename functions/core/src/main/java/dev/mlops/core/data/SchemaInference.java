package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A first upload's column types, from its first rows: a column is numeric when at most {@link
 * ValidationConfig#typeMismatchMaxShare()} of its present values are not numbers (a column with no value at all
 * too), categorical otherwise. Every row of the file is then checked against the types, so a value far down a
 * column that contradicts its type is still reported.
 */
final class SchemaInference {

    private SchemaInference() {
    }

    /**
     * The schema of the rows.
     *
     * @param header the header (empty, duplicate and label columns are not features)
     * @param label  the label column
     * @param rows   the first rows of the file, all well-formed
     */
    static Schema infer(String[] header, String label, List<Row> rows, MissingMarkers markers,
                        ValidationConfig config) {
        List<Column> features = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < header.length; p++) {
            String name = header[p];
            if (name.isEmpty() || name.equals(label) || !seen.add(name)) {
                continue;
            }
            long present = 0;
            long numbers = 0;
            for (Row r : rows) {
                char[] c = r.chars();
                if (!markers.isMissing(c, r.start(p), r.length(p))) {
                    present++;
                    if (!Double.isNaN(NumberParser.parse(c, r.start(p), r.length(p)))) {
                        numbers++;
                    }
                }
            }
            boolean isNumeric = present == 0 || present - numbers <= config.typeMismatchMaxShare() * present;
            features.add(new Column(name, isNumeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL));
        }
        return new Schema(label, features);
    }

    /** A label with more distinct numbers than this is a regression's (unless named otherwise). */
    static final int MAX_NUMERIC_CLASSES = 20;

    /** A task and why it was chosen. */
    record Inferred(String task, String reason) {
    }

    /**
     * The task of a label no upload, config or schema named, from the first rows: a regression when every present
     * label is a number and there are more than {@value #MAX_NUMERIC_CLASSES} distinct ones or one has a fraction;
     * a classification otherwise.
     */
    static Inferred task(String[] header, String label, List<Row> rows, MissingMarkers markers) {
        int p = List.of(header).indexOf(label);
        Set<Double> distinct = new HashSet<>();
        boolean fractional = false;
        long present = 0;
        for (Row r : rows) {
            if (p < 0 || p >= r.size()) {
                continue;
            }
            char[] c = r.chars();
            if (markers.isMissing(c, r.start(p), r.length(p))) {
                continue;
            }
            present++;
            double v = NumberParser.parse(c, r.start(p), r.length(p));
            if (!Double.isFinite(v)) {
                return new Inferred(Schema.CLASSIFICATION, "inferred classification: the label \"" + label
                        + "\" has values that are not numbers (name the task with --task, the object metadata"
                        + " \"task\" or config.json's \"task\")");
            }
            fractional |= v != Math.rint(v);
            if (distinct.size() <= MAX_NUMERIC_CLASSES) {
                distinct.add(v);
            }
        }
        if (present > 0 && (distinct.size() > MAX_NUMERIC_CLASSES || fractional)) {
            return new Inferred(Schema.REGRESSION, "inferred regression: every value of the label \"" + label
                    + "\" in the first " + rows.size() + " rows is a number, "
                    + (fractional ? "some with a fraction" : "more than " + MAX_NUMERIC_CLASSES + " distinct ones")
                    + " (name the task with --task, the object metadata \"task\" or config.json's \"task\")");
        }
        return new Inferred(Schema.CLASSIFICATION, "inferred classification: the label \"" + label + "\" has "
                + distinct.size() + " distinct value(s) in the first " + rows.size() + " rows, whole numbers at most "
                + MAX_NUMERIC_CLASSES + " of them or not all numbers (name the task with --task, the object metadata"
                + " \"task\" or config.json's \"task\")");
    }
}
