package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks that a table is usable for training under a schema.
 *
 * <p>Checks: every schema column is in the header and the header has no other column; every non-missing cell
 * of a numeric column is a number; every row has a label; at least {@value #MIN_ROWS} rows, at least two label
 * classes and at least {@value #MIN_ROWS_PER_CLASS} rows per class (so a stratified split can put each class
 * in both the training and the test set).
 */
public final class Validator {

    /** Maximum number of problems listed in a report (all are counted). */
    public static final int MAX_PROBLEMS = 100;
    /** Minimum number of data rows. */
    public static final int MIN_ROWS = 10;
    /** Minimum number of rows of every label class. */
    public static final int MIN_ROWS_PER_CLASS = 2;

    private Validator() {
    }

    /**
     * Validates a table against a schema.
     *
     * @param t the table
     * @param s the schema
     * @return the report; {@code valid} is true iff no problem was found
     */
    public static ValidationReport validate(CsvTable t, Schema s) {
        Collector out = new Collector();
        Set<String> expected = new HashSet<>(s.columnNames());
        for (String name : s.columnNames()) {
            if (t.columnIndex(name) < 0) {
                out.add(new Problem(Problem.MISSING_COLUMN, name, null,
                        (name.equals(s.label()) ? "label column \"" : "column \"") + name + "\" is missing from the header"));
            }
        }
        for (String name : t.header()) {
            if (!expected.contains(name)) {
                out.add(new Problem(Problem.UNEXPECTED_COLUMN, name, null,
                        "column \"" + name + "\" is not part of the schema"));
            }
        }

        Map<String, Long> missing = new LinkedHashMap<>();
        for (Column c : s.features()) {
            int idx = t.columnIndex(c.name());
            if (idx < 0) {
                continue;
            }
            long m = 0;
            for (int r = 0; r < t.rows().size(); r++) {
                String cell = t.rows().get(r).get(idx);
                if (Missing.isMissing(cell)) {
                    m++;
                } else if (c.type() == ColumnType.NUMERIC && !Numbers.isNumber(cell)) {
                    long line = r + 2L;
                    out.add(new Problem(Problem.NOT_NUMERIC, c.name(), line, "line " + line + ", column \""
                            + c.name() + "\": expected a number, got \"" + cell + "\""));
                }
            }
            missing.put(c.name(), m);
        }

        Map<String, Long> labels = new TreeMap<>();
        int labelIdx = t.columnIndex(s.label());
        if (labelIdx >= 0) {
            long m = 0;
            for (int r = 0; r < t.rows().size(); r++) {
                String cell = t.rows().get(r).get(labelIdx);
                if (Missing.isMissing(cell)) {
                    m++;
                    long line = r + 2L;
                    out.add(new Problem(Problem.MISSING_LABEL, s.label(), line,
                            "line " + line + ": label \"" + s.label() + "\" is missing"));
                } else {
                    labels.merge(cell.trim(), 1L, Long::sum);
                }
            }
            missing.put(s.label(), m);
        }

        if (t.rows().size() < MIN_ROWS) {
            out.add(new Problem(Problem.TOO_FEW_ROWS, null, null,
                    "the file has " + t.rows().size() + " data rows, at least " + MIN_ROWS + " are needed"));
        }
        if (labelIdx >= 0) {
            if (labels.size() < 2) {
                out.add(new Problem(Problem.TOO_FEW_CLASSES, s.label(), null, "label \"" + s.label() + "\" has "
                        + labels.size() + " distinct value(s), at least 2 are needed"));
            }
            for (Map.Entry<String, Long> e : labels.entrySet()) {
                if (e.getValue() < MIN_ROWS_PER_CLASS) {
                    out.add(new Problem(Problem.CLASS_TOO_SMALL, s.label(), null, "label class \"" + e.getKey()
                            + "\" has " + e.getValue() + " row(s), at least " + MIN_ROWS_PER_CLASS + " are needed"));
                }
            }
        }
        return new ValidationReport(out.count == 0, t.rows().size(), t.header().size(), out.listed, out.count,
                missing, labels);
    }

    /** Keeps the first problems and counts all. */
    private static final class Collector {
        final List<Problem> listed = new ArrayList<>();
        long count;

        void add(Problem p) {
            count++;
            if (listed.size() < MAX_PROBLEMS) {
                listed.add(p);
            }
        }
    }
}
