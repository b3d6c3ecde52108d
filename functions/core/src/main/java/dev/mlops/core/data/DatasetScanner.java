package dev.mlops.core.data;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass over an upload: parse, validate and profile together, row by row, in memory that does not grow
 * with the file (a few sketches per column, the first {@link ValidationConfig#inferenceRows()} rows while a
 * first upload's types are inferred, a bounded set of row hashes for duplicates).
 *
 * <p>On a first upload ({@link Mode.Infer}), the column types are inferred from the first rows, then every row
 * of the file is checked against them, so a value far down a column that contradicts its type is reported
 * (the inference is confirmed on the full pass). The inferred schema records what the values looked like
 * (ranges, categories, label classes, completeness) for the next uploads to be checked against
 * ({@link Mode.Validate}).
 *
 * <p>Validation goes on past bad rows, so one pass shows every problem, until
 * {@link ValidationConfig#maxErrorRows()} rows had an error; then it stops (and says so).
 */
public final class DatasetScanner {

    /** What the pass checks the rows against. */
    public sealed interface Mode permits Mode.Infer, Mode.Validate {

        /** First upload: infer the schema, {@code label} naming the label column. */
        record Infer(String label) implements Mode {
            public Infer {
                Objects.requireNonNull(label, "label");
            }
        }

        /** Later upload: check against an accepted schema. */
        record Validate(Schema schema) implements Mode {
            public Validate {
                Objects.requireNonNull(schema, "schema");
            }
        }

        /** Infer the schema. */
        static Mode infer(String label) {
            return new Infer(label);
        }

        /** Check against a schema. */
        static Mode validate(Schema schema) {
            return new Validate(schema);
        }
    }

    /** Label classes looked up without allocating (a classifier's classes are usually few). */
    private static final int RECENT_LABELS = 64;

    /** A label class and its count, with whether the schema lists it. */
    private record LabelClass(String name, char[] chars, long[] count, boolean allowed) {
    }

    /** Characters of held-back rows past which types are inferred even before {@code inferenceRows}. */
    private static final long INFERENCE_CHARS = 16L * 1024 * 1024;
    /**
     * Row hashes kept exactly for duplicates (a table of at most 3 MiB, small enough to stay mostly in cache);
     * past that, later rows are still looked up, and the share of duplicates is an HLL estimate.
     */
    private static final int MAX_ROW_HASHES = 1 << 17;

    private DatasetScanner() {
    }

    /**
     * Scans a stream (read to its end, not closed).
     *
     * @throws IOException when the input cannot be read
     */
    public static DatasetScan scan(InputStream in, Mode mode, ValidationConfig config) throws IOException {
        Pass pass = new Pass(mode, config);
        CsvStream.Read read = CsvStream.read(in, pass.log, pass);
        return pass.finish(read.sha256(), read.bytes(), read.complete());
    }

    /** Scans a table already in memory with the same rules (data row {@code i} is taken to be on line i + 2). */
    public static DatasetScan scan(CsvTable table, Mode mode, ValidationConfig config) {
        Pass pass = new Pass(mode, config);
        pass.header(table.header().toArray(new String[0]), 1);
        Row row = new Row();
        for (int i = 0; i < table.rows().size() && !pass.stopped(); i++) {
            row.set(i + 2L, table.rows().get(i).toArray(new String[0]));
            pass.row(row);
        }
        return pass.finish(null, 0, !pass.stopped());
    }

    /** Scans a stream and wraps I/O failures (for callers that have nothing better to do with them). */
    static DatasetScan scanUnchecked(InputStream in, Mode mode, ValidationConfig config) {
        try {
            return scan(in, mode, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state of one pass. */
    private static final class Pass implements CsvStream.Sink {
        private static final int IGNORED = 0;
        private static final int NUMERIC = 1;
        private static final int CATEGORICAL = 2;
        private static final int LABEL = 3;

        final AnomalyLog log;
        private final Mode mode;
        private final ValidationConfig config;
        private final MissingMarkers markers;
        private String[] header;
        private Schema schema;
        private boolean inferred;
        private boolean stopped;
        private boolean labelPresent;

        // Per header position.
        private int[] kind;
        private NumericStats[] numeric;
        private CategoricalStats[] categorical;
        private double[] low;
        private double[] high;
        private Set<String>[] allowed;

        private final Map<String, long[]> labels = new HashMap<>();
        private Set<String> allowedLabels;
        private long labelsOverflow;
        private final List<LabelClass> recentLabels = new ArrayList<>();

        private List<Row> heldBack = new ArrayList<>();
        private long heldBackChars;

        private long rows;
        private long wellFormed;
        private long errorRows;
        private final RowHashes hashes = new RowHashes();

        Pass(Mode mode, ValidationConfig config) {
            this.mode = mode;
            this.config = config;
            this.log = new AnomalyLog(config);
            this.markers = new MissingMarkers(config.missingMarkers());
        }

        @Override
        public boolean stopped() {
            return stopped;
        }

        @Override
        public void header(String[] names, long line) {
            header = names;
            if (mode instanceof Mode.Validate v) {
                setUp(v.schema(), false);
                return;
            }
            String label = ((Mode.Infer) mode).label();
            if (!List.of(names).contains(label)) {
                log.note(AnomalyKind.MISSING_COLUMN, label, 0, "label column \"" + Anomaly.shorten(label)
                        + "\" is not in the header (" + Anomaly.shorten(String.join(", ", names)) + "): name the label"
                        + " column of this file (./mlops upload --label COLUMN, or the object metadata \"label\")");
                stopped = true;
            }
        }

        @Override
        public void row(Row row) {
            if (stopped) {
                return;
            }
            rows++;
            if (row.size() != header.length) {
                log.row(AnomalyKind.RAGGED_ROW, null, row.line(), row.size() + " fields: " + row.preview());
                countError(row.line());
                return;
            }
            wellFormed++;
            if (schema == null) {
                heldBack.add(row.copy());
                heldBackChars += row.used();
                if (heldBack.size() >= config.inferenceRows() || heldBackChars > INFERENCE_CHARS) {
                    settle();
                }
                return;
            }
            check(row);
        }

        private void countError(long line) {
            errorRows++;
            if (errorRows >= config.maxErrorRows()) {
                stopped = true;
                log.note(AnomalyKind.VALIDATION_STOPPED, null, 0, "validation stopped at line " + line + " after "
                        + errorRows + " rows with errors (validation.max_error_rows); the rest of the file was not"
                        + " checked: fix the problems above first");
            }
        }

        /** Infers the types from the rows held back, then checks those rows. */
        private void settle() {
            String label = ((Mode.Infer) mode).label();
            List<Column> features = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int p = 0; p < header.length; p++) {
                String name = header[p];
                if (name.isEmpty() || name.equals(label) || !seen.add(name)) {
                    continue;
                }
                long present = 0;
                long numbers = 0;
                for (Row r : heldBack) {
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
            setUp(new Schema(label, features), true);
            List<Row> rowsToCheck = heldBack;
            heldBack = null;
            for (Row r : rowsToCheck) {
                if (stopped) {
                    break;
                }
                check(r);
            }
        }

        @SuppressWarnings("unchecked")
        private void setUp(Schema s, boolean wasInferred) {
            schema = s;
            inferred = wasInferred;
            int n = header.length;
            kind = new int[n];
            numeric = new NumericStats[n];
            categorical = new CategoricalStats[n];
            low = new double[n];
            high = new double[n];
            allowed = new Set[n];
            Map<String, Integer> position = new HashMap<>();
            for (int p = n - 1; p >= 0; p--) {
                position.put(header[p], p);
            }
            for (Column c : s.features()) {
                Integer p = position.get(c.name());
                if (p == null) {
                    log.note(AnomalyKind.MISSING_COLUMN, c.name(), 0, "column \"" + Anomaly.shorten(c.name())
                            + "\" of the schema is not in the header: add it (missing values may be left empty)");
                    continue;
                }
                Schema.Domain d = s.domain(c.name());
                if (c.type() == ColumnType.NUMERIC) {
                    kind[p] = NUMERIC;
                    numeric[p] = new NumericStats();
                    low[p] = d != null && d.min() != null ? d.min() : Double.NEGATIVE_INFINITY;
                    high[p] = d != null && d.max() != null ? d.max() : Double.POSITIVE_INFINITY;
                } else {
                    kind[p] = CATEGORICAL;
                    categorical[p] = new CategoricalStats(Profile.MAX_CATEGORIES);
                    allowed[p] = d != null && d.values() != null ? new HashSet<>(d.values()) : null;
                }
            }
            Integer lp = position.get(s.label());
            labelPresent = lp != null;
            if (lp == null) {
                log.note(AnomalyKind.MISSING_COLUMN, s.label(), 0, "label column \"" + Anomaly.shorten(s.label())
                        + "\" of the schema is not in the header");
            } else {
                kind[lp] = LABEL;
                allowedLabels = s.labelValues() == null ? null : new HashSet<>(s.labelValues());
            }
            Set<String> known = new HashSet<>(s.columnNames());
            Set<String> reported = new HashSet<>();
            for (String name : header) {
                if (!name.isEmpty() && !known.contains(name) && reported.add(name)) {
                    log.note(AnomalyKind.UNEXPECTED_COLUMN, name, 0, "column \"" + Anomaly.shorten(name)
                            + "\" is not in the schema, so it is not trained on: remove it from the file, or add it"
                            + " to the schema's features");
                }
            }
            if (s.features().isEmpty()) {
                log.note(AnomalyKind.NO_FEATURES, null, 0, "the file has no feature column besides the label \""
                        + Anomaly.shorten(s.label()) + "\": a model needs at least one column to learn from");
            }
        }

        /** Validates and profiles one well-formed row. */
        private void check(Row row) {
            char[] c = row.chars();
            long line = row.line();
            boolean error = row.invalidUtf8();
            long h = 0x5DEECE66DL;
            for (int p = 0; p < kind.length; p++) {
                int off = row.start(p);
                int len = row.length(p);
                switch (kind[p]) {
                    case NUMERIC -> {
                        NumericStats s = numeric[p];
                        if (markers.isMissing(c, off, len)) {
                            s.missing++;
                            h = mix(h, 0x7FF8DEADL);
                            continue;
                        }
                        double v = NumberParser.parse(c, off, len);
                        if (v - v == 0) { // finite
                            s.add(v);
                            h = mix(h, v == 0 ? 0 : Double.doubleToRawLongBits(v));
                            if (v < low[p] || v > high[p]) {
                                error |= log.row(AnomalyKind.OUT_OF_RANGE, header[p], line, row.text(p));
                            }
                        } else {
                            s.invalid++;
                            h = mix(h, hash(c, off, len));
                            error |= log.row(Double.isNaN(v) ? AnomalyKind.TYPE_MISMATCH : AnomalyKind.NON_FINITE,
                                    header[p], line, row.text(p));
                        }
                    }
                    case CATEGORICAL -> {
                        CategoricalStats s = categorical[p];
                        if (markers.isMissing(c, off, len)) {
                            s.missing++;
                            h = mix(h, 0x7FF8DEADL);
                            continue;
                        }
                        String v = value(row, p);
                        if (v.length() > config.maxValueLength()) {
                            error |= log.row(AnomalyKind.VALUE_TOO_LONG, header[p], line, v);
                            v = v.substring(0, config.maxValueLength());
                        }
                        s.add(v);
                        h = mix(h, hash(c, off, len));
                        if (allowed[p] != null && !allowed[p].contains(v)) {
                            error |= log.row(AnomalyKind.UNSEEN_CATEGORY, header[p], line, v);
                        }
                    }
                    case LABEL -> {
                        h = mix(h, hash(c, off, len));
                        if (markers.isMissing(c, off, len)) {
                            error |= log.row(AnomalyKind.MISSING_LABEL, header[p], line, row.text(p));
                            continue;
                        }
                        LabelClass known = knownLabel(c, off, len);
                        if (known != null) {
                            // The common case: a class seen before, found without allocating.
                            known.count[0]++;
                            if (!known.allowed) {
                                error |= log.row(AnomalyKind.UNSEEN_LABEL, header[p], line, known.name);
                            }
                            continue;
                        }
                        String v = value(row, p);
                        if (v.length() > config.maxValueLength()) {
                            error |= log.row(AnomalyKind.VALUE_TOO_LONG, header[p], line, v);
                            v = v.substring(0, config.maxValueLength());
                        }
                        boolean allowed = allowedLabels == null || allowedLabels.contains(v);
                        long[] count = labels.get(v);
                        if (count != null) {
                            count[0]++;
                        } else if (labels.size() <= config.maxClasses()) {
                            count = new long[] {1};
                            labels.put(v, count);
                            if (recentLabels.size() < RECENT_LABELS && v.length() == trimmedLength(c, off, len)) {
                                recentLabels.add(new LabelClass(v, v.toCharArray(), count, allowed));
                            }
                        } else {
                            labelsOverflow++;
                        }
                        if (!allowed) {
                            error |= log.row(AnomalyKind.UNSEEN_LABEL, header[p], line, v);
                        }
                    }
                    default -> h = mix(h, hash(c, off, len));
                }
            }
            hashes.add(fmix(h), line);
            if (error) {
                countError(line);
            }
        }

        /** A class of the first {@value #RECENT_LABELS} seen, if the (trimmed) cell is one: no allocation. */
        private LabelClass knownLabel(char[] c, int off, int len) {
            int end = off + len;
            while (off < end && c[off] <= ' ') {
                off++;
            }
            while (end > off && c[end - 1] <= ' ') {
                end--;
            }
            int n = end - off;
            for (int i = 0, size = recentLabels.size(); i < size; i++) {
                LabelClass k = recentLabels.get(i);
                char[] name = k.chars;
                if (name.length == n && java.util.Arrays.equals(name, 0, n, c, off, end)) {
                    return k;
                }
            }
            return null;
        }

        private static int trimmedLength(char[] c, int off, int len) {
            int end = off + len;
            while (off < end && c[off] <= ' ') {
                off++;
            }
            while (end > off && c[end - 1] <= ' ') {
                end--;
            }
            return end - off;
        }

        private static String value(Row row, int p) {
            char[] c = row.chars();
            int off = row.start(p);
            int end = off + row.length(p);
            while (off < end && c[off] <= ' ') {
                off++;
            }
            while (end > off && c[end - 1] <= ' ') {
                end--;
            }
            return new String(c, off, end - off);
        }

        DatasetScan finish(String sha256, long bytes, boolean complete) {
            if (schema == null && heldBack != null && header != null && !stopped) {
                settle();
            }
            if (schema == null) {
                return new DatasetScan(false, sha256, bytes, rows, header == null ? 0 : header.length, complete, null,
                        false, log.anomalies(this::describe), null);
            }
            Map<String, FeatureProfile> features = new LinkedHashMap<>();
            Map<String, Schema.Domain> domains = new LinkedHashMap<>();
            Map<String, Integer> position = new HashMap<>();
            for (int p = header.length - 1; p >= 0; p--) {
                position.put(header[p], p);
            }
            for (Column col : schema.features()) {
                Integer p = position.get(col.name());
                if (p == null) {
                    continue;
                }
                FeatureProfile f = kind[p] == NUMERIC ? numeric[p].profile(col.name()) : categorical[p].profile(col.name());
                features.put(col.name(), f);
                columnChecks(col, f);
                Double completeness = wellFormed == 0 ? null : (double) (wellFormed - f.missing()) / wellFormed;
                domains.put(col.name(), kind[p] == NUMERIC
                        ? new Schema.Domain(f.min(), f.max(), null, completeness)
                        : new Schema.Domain(null, null, f.categories() == null ? null
                        : List.copyOf(f.categories().keySet()), completeness));
            }
            if (rows < config.minRows()) {
                log.note(AnomalyKind.TOO_FEW_ROWS, null, 0, "the file has " + rows + " data rows, at least "
                        + config.minRows() + " are needed to train and evaluate a model");
            }
            Map<String, Long> labelCounts = new TreeMap<>();
            labels.forEach((k, v) -> labelCounts.put(k, v[0]));
            if (labelPresent) {
                labelChecks(labelCounts);
            }
            duplicates();
            Schema result = schema;
            if (inferred) {
                List<String> labelValues = labelCounts.size() <= Profile.MAX_CATEGORIES
                        ? List.copyOf(labelCounts.keySet()) : null;
                result = new Schema(schema.label(), schema.features(), labelValues, domains);
            }
            List<Anomaly> anomalies = log.anomalies(this::describe);
            boolean valid = anomalies.stream().noneMatch(Anomaly::error);
            return new DatasetScan(valid, sha256, bytes, rows, header.length, complete, result, inferred, anomalies,
                    new Profile(wellFormed, features, labelCounts));
        }

        private void columnChecks(Column col, FeatureProfile f) {
            long values = f.count() + (f.invalid() == null ? 0 : f.invalid());
            if (values == 0 && wellFormed > 0) {
                log.note(AnomalyKind.EMPTY_COLUMN, col.name(), f.missing(), "column \"" + Anomaly.shorten(col.name())
                        + "\" has no value in any of the " + wellFormed + " rows"
                        + (inferred ? ", so its type cannot be inferred: fill it or drop it" : ": fill it or drop it"));
                return;
            }
            Schema.Domain d = inferred ? null : schema.domain(col.name());
            if (d != null && d.completeness() != null && wellFormed > 0) {
                double completeness = (double) (wellFormed - f.missing()) / wellFormed;
                if (completeness < d.completeness() - config.completenessTolerance()) {
                    log.note(AnomalyKind.COMPLETENESS, col.name(), f.missing(), "column \""
                            + Anomaly.shorten(col.name()) + "\" has a value in " + percent(completeness)
                            + " of the rows; the schema's baseline is " + percent(d.completeness())
                            + " (tolerance " + percent(config.completenessTolerance()) + "): " + f.missing()
                            + " rows miss it; check the source, or lower the baseline in the schema");
                }
            }
        }

        private void labelChecks(Map<String, Long> labelCounts) {
            String label = schema.label();
            if (labelsOverflow > 0) {
                log.note(AnomalyKind.TOO_MANY_CLASSES, label, labelsOverflow, "label \"" + Anomaly.shorten(label)
                        + "\" has more than " + config.maxClasses() + " distinct values: is it the right column?"
                        + " (name the label with --label / the object metadata \"label\")");
                return;
            }
            if (labelCounts.size() < 2) {
                log.note(AnomalyKind.TOO_FEW_CLASSES, label, 0, "label \"" + Anomaly.shorten(label) + "\" has "
                        + labelCounts.size() + " distinct value(s); at least 2 are needed to train a classifier");
            }
            List<String> small = new ArrayList<>();
            long smallRows = 0;
            for (Map.Entry<String, Long> e : labelCounts.entrySet()) {
                if (e.getValue() < config.minRowsPerClass()) {
                    small.add("\"" + Anomaly.shorten(e.getKey()) + "\" has " + e.getValue() + " row(s)");
                    smallRows += e.getValue();
                }
            }
            if (!small.isEmpty()) {
                log.note(AnomalyKind.CLASS_TOO_SMALL, label, smallRows, "label class "
                        + String.join(", ", small.subList(0, Math.min(5, small.size())))
                        + (small.size() > 5 ? " and " + (small.size() - 5) + " more" : "") + "; at least "
                        + config.minRowsPerClass() + " are needed per class so it can be in both the training and"
                        + " the test rows");
            }
        }

        private void duplicates() {
            if (wellFormed == 0) {
                return;
            }
            long found = hashes.duplicates();
            boolean estimated = hashes.overflowed();
            long count = estimated ? Math.max(found, hashes.estimatedDuplicates(wellFormed)) : found;
            double share = (double) count / wellFormed;
            if (count > 0 && share > config.duplicateRowsMaxShare()) {
                for (long[] ex : hashes.examples()) {
                    log.row(AnomalyKind.DUPLICATE_ROWS, null, ex[0], "same as line " + ex[1]);
                }
                log.note(AnomalyKind.DUPLICATE_ROWS, null, count - hashes.examples().size(), (estimated ? "about " : "")
                        + count + " row(s) (" + percent(share) + ") repeat an earlier row exactly, more than the "
                        + percent(config.duplicateRowsMaxShare()) + " allowed (validation.duplicate_rows_max_share)"
                        + (hashes.examples().isEmpty() ? "" : ", e.g. line " + hashes.examples().get(0)[0]
                        + " repeats line " + hashes.examples().get(0)[1])
                        + ": remove the copies, or they weigh more in training and may leak into the test rows");
            }
        }

        /** The sentence of an anomaly counted row by row. */
        private String describe(AnomalyLog.Entry e) {
            String col = e.column() == null ? null : "column \"" + Anomaly.shorten(e.column()) + "\"";
            String eg = e.examples().isEmpty() || e.examples().get(0).value() == null ? ""
                    : ", e.g. \"" + e.examples().get(0).value() + "\"";
            String where = " (line" + (e.rows() == 1 ? " " : "s ") + e.lines() + eg + ")";
            String share = wellFormed > 0 ? " (" + percent((double) e.rows() / Math.max(1, wellFormed)) + " of the rows)" : "";
            switch (e.kind()) {
                case RAGGED_ROW:
                    return e.rows() + " row(s) do not have the header's " + header.length + " fields (line"
                            + (e.rows() == 1 ? " " : "s ") + e.lines() + "): a value holding a comma must be in double"
                            + " quotes, and every row needs one value per column";
                case BLANK_LINE:
                    return e.rows() + " blank line(s) between rows were skipped (line" + (e.rows() == 1 ? " " : "s ")
                            + e.lines() + ")";
                case INVALID_UTF8:
                    return (col == null ? "" : col + ": ") + e.rows() + " row(s) hold bytes that are not UTF-8"
                            + where + ": save the file as UTF-8";
                case TYPE_MISMATCH:
                    return col + " is numeric" + (inferred ? " (inferred from the first rows of this file)" : "")
                            + " but " + e.rows() + " value(s)" + share + " are not numbers" + where + ": fix them, write"
                            + " missing values as one of " + markersText() + ", or make the column CATEGORICAL in the"
                            + " schema";
                case NON_FINITE:
                    return col + ": " + e.rows() + " value(s) are infinite or not a number" + where + ": write a"
                            + " missing value as one of " + markersText() + ", or fix the value";
                case OUT_OF_RANGE: {
                    Schema.Domain d = schema.domain(e.column());
                    return col + ": " + e.rows() + " value(s)" + share + " are outside the schema's range ["
                            + number(d.min()) + ", " + number(d.max()) + "]" + where + ": check them, or widen the"
                            + " range in the schema";
                }
                case UNSEEN_CATEGORY:
                    return col + ": " + e.rows() + " value(s)" + share + " are categories the schema does not list"
                            + where + ": add them to the column's values in the schema if they are expected";
                case MISSING_LABEL:
                    return e.rows() + " row(s) have no label in " + col + where + ": every row needs its class";
                case UNSEEN_LABEL:
                    return e.rows() + " row(s)" + share + " have a label class the schema does not list" + where
                            + ": the model will learn a new class, and the champion cannot be compared with it;"
                            + " add it to the schema's label_values if it is expected";
                case VALUE_TOO_LONG:
                    return col + ": " + e.rows() + " value(s) are longer than " + config.maxValueLength()
                            + " characters" + where + ": most likely a quoting problem, a category this long is not"
                            + " a category";
                case DUPLICATE_ROWS:
                    return e.rows() + " duplicate row(s)";
                default:
                    return e.kind() + (col == null ? "" : " in " + col) + where;
            }
        }

        private String markersText() {
            List<String> shown = new ArrayList<>();
            for (String m : markers.markers()) {
                shown.add(m.isEmpty() ? "an empty cell" : m);
            }
            return String.join(", ", shown);
        }
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String number(Double d) {
        if (d == null) {
            return "…";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
    }

    private static long mix(long h, long x) {
        return Long.rotateLeft(h + x * 0x9E3779B97F4A7C15L, 27) * 0xC2B2AE3D27D4EB4FL;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    private static long hash(char[] c, int off, int len) {
        long h = 0xCBF29CE484222325L;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ c[i]) * 0x100000001B3L;
        }
        return h;
    }

    /**
     * Hashes of the rows seen, for duplicates: an exact open-addressing set of up to {@value #MAX_ROW_HASHES}
     * hashes (with the line each was first seen on), then lookups only, plus an HLL estimate of distinct rows.
     */
    private static final class RowHashes {
        private long[] keys = new long[1024];
        private long[] lines = new long[1024];
        private int size;
        private boolean full;
        private long duplicates;
        private final List<long[]> examples = new ArrayList<>();
        private final HllSketch distinct = new HllSketch(14, TgtHllType.HLL_8);

        void add(long h, long line) {
            long key = h == 0 ? 1 : h;
            distinct.update(key);
            int mask = keys.length - 1;
            int i = (int) (key ^ (key >>> 32)) & mask;
            while (keys[i] != 0) {
                if (keys[i] == key) {
                    duplicates++;
                    if (examples.size() < Anomaly.MAX_EXAMPLES) {
                        examples.add(new long[] {line, lines[i]});
                    }
                    return;
                }
                i = (i + 1) & mask;
            }
            if (size >= MAX_ROW_HASHES) {
                full = true;
                return;
            }
            keys[i] = key;
            lines[i] = line;
            if (++size * 2 > keys.length) {
                grow();
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldLines = lines;
            keys = new long[oldKeys.length * 2];
            lines = new long[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                long key = oldKeys[j];
                if (key != 0) {
                    int i = (int) (key ^ (key >>> 32)) & mask;
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = key;
                    lines[i] = oldLines[j];
                }
            }
        }

        long duplicates() {
            return duplicates;
        }

        boolean overflowed() {
            return full;
        }

        long estimatedDuplicates(long rows) {
            return Math.max(0, rows - Math.round(distinct.getEstimate()));
        }

        List<long[]> examples() {
            return examples;
        }
    }
}
