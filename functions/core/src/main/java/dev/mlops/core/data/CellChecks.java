package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of each cell of a well-formed row against the schema, with the column profiles they feed: a
 * numeric cell must be a finite number within the schema's range, a categorical one a listed category, a
 * label a listed class (and present); every value is counted into its column's sketches, and the row's
 * content hash is kept for duplicates. Laid out once per header position, so a row is checked without a
 * lookup by name.
 */
final class CellChecks {

    private static final int IGNORED = 0;
    private static final int NUMERIC = 1;
    private static final int CATEGORICAL = 2;
    private static final int LABEL = 3;
    /** A regression's label: a number, profiled like a numeric column. */
    private static final int TARGET = 4;

    /** A label further than this many interquartile ranges beyond a quartile is an outlier. */
    static final double OUTLIER_IQRS = 3.0;

    /**
     * A regression label's outliers, estimated from its sketch (the file is read once).
     *
     * @param low   the lower fence: Q1 − {@value #OUTLIER_IQRS} IQR
     * @param high  the upper fence: Q3 + {@value #OUTLIER_IQRS} IQR
     * @param below values below the low fence (estimated)
     * @param above values above the high fence (estimated)
     */
    record Outliers(double low, double high, long below, long above) {
    }

    /** Label classes looked up without allocating (a classifier's classes are usually few). */
    private static final int RECENT_LABELS = 64;

    /** A label class and its count, with whether the schema lists it. */
    private record LabelClass(String name, char[] chars, long[] count, boolean allowed) {
    }

    private final String[] header;
    private final ValidationConfig config;
    private final MissingMarkers markers;
    private final AnomalyLog log;
    private final Map<String, Integer> position = new HashMap<>();

    // Per header position.
    private final int[] kind;
    private final NumericStats[] numeric;
    private final CategoricalStats[] categorical;
    private final double[] low;
    private final double[] high;
    private final Set<String>[] allowed;

    private final Map<String, long[]> labels = new HashMap<>();
    private NumericStats target;
    private Set<String> allowedLabels;
    private long labelsOverflow;
    private final List<LabelClass> recentLabels = new ArrayList<>();
    private final boolean labelPresent;
    private final boolean hasFeatures;
    private final boolean takesPlain;
    /** {@link #takePlain}'s numbers of the line being read, added to their sketches once the whole line is taken. */
    private final double[] lineValues;

    /**
     * The checks of a file's (or a part's) rows against a schema.
     *
     * @param expectedRows about how many rows the whole file has (0: not known), for the numeric columns' sketches
     */
    @SuppressWarnings("unchecked")
    CellChecks(String[] header, Schema s, ValidationConfig config, MissingMarkers markers, AnomalyLog log,
               long expectedRows) {
        this.header = header;
        this.config = config;
        this.markers = markers;
        this.log = log;
        int n = header.length;
        kind = new int[n];
        numeric = new NumericStats[n];
        categorical = new CategoricalStats[n];
        low = new double[n];
        high = new double[n];
        allowed = new Set[n];
        for (int p = n - 1; p >= 0; p--) {
            position.put(header[p], p);
        }
        for (Column c : s.features()) {
            Integer p = position.get(c.name());
            if (p == null) {
                continue;
            }
            Schema.Domain d = s.domain(c.name());
            if (c.type() == ColumnType.NUMERIC) {
                kind[p] = NUMERIC;
                numeric[p] = new NumericStats(expectedRows);
                low[p] = d != null && d.min() != null ? d.min() : Double.NEGATIVE_INFINITY;
                high[p] = d != null && d.max() != null ? d.max() : Double.POSITIVE_INFINITY;
            } else {
                kind[p] = CATEGORICAL;
                categorical[p] = new CategoricalStats(Profile.MAX_CATEGORIES);
                allowed[p] = d != null && d.values() != null ? new HashSet<>(d.values()) : null;
            }
        }
        boolean anyNumeric = false;
        boolean anyCategorical = false;
        for (int k : kind) {
            anyNumeric |= k == NUMERIC;
            anyCategorical |= k == CATEGORICAL;
        }
        hasFeatures = anyNumeric || anyCategorical;
        Integer lp = position.get(s.label());
        labelPresent = lp != null;
        if (lp != null && s.regression()) {
            kind[lp] = TARGET;
            target = new NumericStats(expectedRows);
        } else if (lp != null) {
            kind[lp] = LABEL;
            allowedLabels = s.labelValues() == null ? null : new HashSet<>(s.labelValues());
        }
        takesPlain = anyNumeric && !anyCategorical && !markers.numberLike() && n <= Row.MAX_FIELDS;
        lineValues = new double[n];
    }

    /**
     * Whether {@link #takePlain} takes lines: no categorical column (its values are kept as strings), at least one
     * numeric one, and no missing-value marker that starts like a number.
     */
    boolean takesPlain() {
        return takesPlain;
    }

    /** Whether the label column is in the header. */
    boolean labelPresent() {
        return labelPresent;
    }

    /** Whether the label had more classes than {@link ValidationConfig#maxClasses()} (rows past them not counted). */
    long labelsOverflow() {
        return labelsOverflow;
    }

    /** Rows per label class, by class. */
    Map<String, Long> labelCounts() {
        Map<String, Long> counts = new TreeMap<>();
        labels.forEach((k, v) -> counts.put(k, v[0]));
        return counts;
    }

    /** A regression label's profile, or null (a classification, or no label column). */
    FeatureProfile targetProfile(String label) {
        return target == null ? null : target.profile(label);
    }

    /** A regression label's outliers by the fences above, or null without values. */
    Outliers targetOutliers() {
        return target == null || target.count == 0 ? null : target.outliers(OUTLIER_IQRS);
    }

    /** The profile of a feature column, or null when the header does not have it. */
    FeatureProfile profile(Column col) {
        Integer p = position.get(col.name());
        if (p == null) {
            return null;
        }
        return kind[p] == NUMERIC ? numeric[p].profile(col.name()) : categorical[p].profile(col.name());
    }

    /**
     * Validates and profiles one well-formed row, and adds its hash to {@code hashes}.
     *
     * @return whether a cell of the row has an error
     */
    boolean check(Row row, RowHashes hashes) {
        char[] c = row.chars();
        long line = row.line();
        boolean error = row.invalidUtf8();
        boolean anyFeature = false;
        boolean labelGiven = false;
        long h = 0x5DEECE66DL;
        for (int p = 0; p < kind.length; p++) {
            int off = row.start(p);
            int len = row.length(p);
            switch (kind[p]) {
                case NUMERIC -> {
                    NumericStats s = numeric[p];
                    if (markers.isMissing(c, off, len)) {
                        s.missing++;
                        h = RowHashes.mix(h, 0x7FF8DEADL);
                        continue;
                    }
                    anyFeature = true;
                    double v = NumberParser.parse(c, off, len);
                    if (v - v == 0) { // finite
                        s.add(v);
                        // + 0.0 makes -0.0 the bits of 0.0 and keeps every other value; no branch, so C2 puts no
                        // trap here that a rare zero would fire (a recompile of this method costs ~0.5 s of CPU)
                        h = RowHashes.mix(h, Double.doubleToRawLongBits(v + 0.0));
                        if (v < low[p] || v > high[p]) {
                            error |= log.row(AnomalyKind.OUT_OF_RANGE, header[p], line, row.text(p));
                        }
                    } else {
                        s.invalid++;
                        h = RowHashes.mix(h, RowHashes.hash(c, off, len));
                        error |= log.row(Double.isNaN(v) ? AnomalyKind.TYPE_MISMATCH : AnomalyKind.NON_FINITE,
                                header[p], line, row.text(p));
                    }
                }
                case CATEGORICAL -> {
                    CategoricalStats s = categorical[p];
                    if (markers.isMissing(c, off, len)) {
                        s.missing++;
                        h = RowHashes.mix(h, 0x7FF8DEADL);
                        continue;
                    }
                    anyFeature = true;
                    String v = value(row, p);
                    if (v.length() > config.maxValueLength()) {
                        error |= log.row(AnomalyKind.VALUE_TOO_LONG, header[p], line, v);
                        v = v.substring(0, config.maxValueLength());
                    }
                    s.add(v);
                    h = RowHashes.mix(h, RowHashes.hash(c, off, len));
                    if (allowed[p] != null && !allowed[p].contains(v)) {
                        error |= log.row(AnomalyKind.UNSEEN_CATEGORY, header[p], line, v);
                    }
                }
                case TARGET -> {
                    h = RowHashes.mix(h, RowHashes.hash(c, off, len));
                    if (markers.isMissing(c, off, len)) {
                        error |= log.row(AnomalyKind.MISSING_LABEL, header[p], line, row.text(p));
                        continue;
                    }
                    double v = NumberParser.parse(c, off, len);
                    if (v - v == 0) {
                        target.add(v);
                    } else {
                        target.invalid++;
                        error |= log.row(Double.isNaN(v) ? AnomalyKind.TYPE_MISMATCH : AnomalyKind.NON_FINITE,
                                header[p], line, row.text(p));
                    }
                }
                case LABEL -> {
                    h = RowHashes.mix(h, RowHashes.hash(c, off, len));
                    if (markers.isMissing(c, off, len)) {
                        error |= log.row(AnomalyKind.MISSING_LABEL, header[p], line, row.text(p));
                        continue;
                    }
                    labelGiven = true;
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
                default -> h = RowHashes.mix(h, RowHashes.hash(c, off, len));
            }
        }
        if (labelGiven && !anyFeature && hasFeatures) {
            error |= log.row(AnomalyKind.EMPTY_FEATURES, null, line, null);
        }
        hashes.add(RowHashes.fmix(h), line);
        return error;
    }

    /**
     * Checks and profiles plain lines straight from their bytes, as many as it can: what {@link #check} does for
     * each, for the lines where that is nothing but counting. A line is taken when it has one field per column, ends
     * with LF or CRLF, its numeric cells (and a regression's label) are plain decimals ({@code -?\d*\.?\d*} with
     * 1 to 15 digits, read as {@link NumberParser} reads them: an exact integer divided once by an exact power of
     * ten) within the schema's range, its other cells are printable ASCII without a quote, and its label is a class
     * already seen ({@link #knownLabel}) that the schema allows. So a line taken has no missing value and no
     * anomaly, and each of its cells feeds the same sketches, in the same order, and the row the same hash as
     * through {@link #check}. It stops before the first line that is not so, which {@link #check} reads.
     *
     * <p>Why: on a numeric file most of a line's cost was turning its bytes into a {@link Row} of characters and
     * reading each number from them again (BENCHMARKS.md, "Validate: plain lines taken from their bytes").
     *
     * @param b         the bytes: whole lines from {@code from} to {@code end}, each ended by LF
     * @param from      the start of a line
     * @param end       the position after the last line's LF
     * @param firstLine the line number of the line at {@code from}
     * @return as {@link PlainLines.Taker#take}
     */
    long takePlain(byte[] b, int from, int end, long firstLine, RowHashes hashes) {
        int i = from;
        long taken = 0;
        while (i < end) {
            int next = takeLine(b, i, firstLine + taken, hashes);
            if (next < 0) {
                return taken(i, taken, true);
            }
            i = next;
            taken++;
        }
        return taken(i, taken, false);
    }

    /**
     * Takes the line at {@code i} (ended by LF, so no cell is read past it): the position after it, or -1 when it is
     * not taken (then nothing of it was counted). One line per call, so the JIT compiles this early, with a profile
     * of many lines, rather than the loop over a buffer once on stack replacement with a profile of its first lines
     * (whose every rare path then traps, and each trap recompiles it: about 0.1 s of CPU each).
     */
    private int takeLine(byte[] b, int i, long line, RowHashes hashes) {
        final int n = kind.length;
        final int last = n - 1;
        double[] values = lineValues;
        long h = 0x5DEECE66DL;
        LabelClass label = null;
        for (int p = 0; p < n; p++) {
            int k = kind[p];
            int start = i;
            if (k == NUMERIC || k == TARGET) {
                int negative = b[i] == '-' ? 1 : 0;
                i += negative;
                long mantissa = 0;
                int digits = 0;
                int point = -1;
                // NumberParser.plainDecimal's reading, on bytes, ending where the cell does (PlainRowsTakenTest)
                for (; ; i++) { // ends at the line's LF at the latest
                    int d = b[i] - '0';
                    if (d >= 0 && d <= 9) {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    } else if (b[i] == '.' && point < 0) {
                        point = digits;
                    } else {
                        break;
                    }
                }
                int cellEnd = i;
                i = separator(b, i, p == last);
                if (i < 0 || digits == 0 || digits > 15) {
                    return -1;
                }
                double v = point < 0 || point == digits ? mantissa : mantissa / NumberParser.POW10[digits - point];
                v = Double.longBitsToDouble(Double.doubleToRawLongBits(v) | (long) negative << 63);
                if (k == NUMERIC) {
                    if (v < low[p] || v > high[p]) {
                        return -1;
                    }
                    h = RowHashes.mix(h, Double.doubleToRawLongBits(v + 0.0));
                } else {
                    h = RowHashes.mix(h, RowHashes.hash(b, start, cellEnd));
                }
                values[p] = v;
            } else {
                long f = RowHashes.FNV_BASIS; // RowHashes.hash of the cell's bytes, on the way through them
                for (; ; i++) { // ends at the line's LF at the latest
                    int x = b[i];
                    if (x < ' ' || x == ',' || x == '"' || x >= 0x7F) {
                        break;
                    }
                    f = (f ^ x) * RowHashes.FNV_PRIME;
                }
                int cellEnd = i;
                i = separator(b, i, p == last);
                if (i < 0) {
                    return -1;
                }
                h = RowHashes.mix(h, f);
                if (k == LABEL) {
                    label = knownLabel(b, start, cellEnd);
                    if (label == null || !label.allowed) {
                        return -1;
                    }
                }
            }
        }
        // The whole line is taken: its values go in, in column order, as check adds them.
        for (int p = 0; p < n; p++) {
            if (kind[p] == NUMERIC) {
                numeric[p].add(values[p]);
            } else if (kind[p] == TARGET) {
                target.add(values[p]);
            }
        }
        if (label != null) {
            label.count[0]++;
        }
        hashes.add(RowHashes.fmix(h), line);
        return i;
    }

    /**
     * After a cell that ends at {@code i}: the position after its separator (a comma, or for the last cell LF or
     * CRLF), or -1 if it is not the separator a line taken has there. A CR is followed by the line's LF at the latest.
     */
    private static int separator(byte[] b, int i, boolean lastCell) {
        byte x = b[i];
        if (!lastCell) {
            return x == ',' ? i + 1 : -1;
        }
        if (x == '\n') {
            return i + 1;
        }
        return x == '\r' && b[i + 1] == '\n' ? i + 2 : -1;
    }

    private static long taken(int position, long lines, boolean refused) {
        return (refused ? PlainLines.Taker.REFUSED : 0) | lines << 32 | position;
    }

    /** A class of the first {@value #RECENT_LABELS} seen, if the bytes (ASCII, untrimmed) are its name exactly. */
    private LabelClass knownLabel(byte[] b, int from, int end) {
        int n = end - from;
        for (int i = 0, size = recentLabels.size(); i < size; i++) {
            LabelClass k = recentLabels.get(i);
            char[] name = k.chars;
            if (name.length == n) {
                int j = 0;
                while (j < n && name[j] == b[from + j]) {
                    j++;
                }
                if (j == n) {
                    return k;
                }
            }
        }
        return null;
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
}
