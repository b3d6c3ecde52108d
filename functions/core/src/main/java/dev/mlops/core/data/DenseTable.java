package dev.mlops.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A labelled table as training and evaluation read it: one primitive array per schema column instead of a string
 * per cell. A numeric feature is a {@code float[]} ({@code NaN} where missing), a categorical feature an
 * {@code int[]} of codes into its categories ({@code -1} where missing), the label an {@code int[]} of codes into
 * the sorted classes ({@code -1} where missing), and every row keeps its row hashes ({@link Hashing}): about 4
 * bytes per cell and 8 per row and hash, where a table of strings takes 40 or more per cell. Values are stored
 * as {@code float}, the precision XGBoost works in.
 *
 * <p>Read from a stream ({@link #read}), a file never exists as text in memory: 5,000,000 rows × 20 columns take
 * about 440 MB. The rows and their cells are never changed once built.
 */
public final class DenseTable {

    /**
     * A row hash to compute for every row while reading: the hash of {@code spec} over these columns, in this
     * order (a schema's features, then its label, as {@link SplitSpec#partitionOf} takes them).
     */
    public record Hashing(SplitSpec spec, List<String> columns) {

        /** Copies. */
        public Hashing {
            columns = List.copyOf(columns);
        }

        /** The spec over a schema's columns. */
        public static Hashing of(SplitSpec spec, Schema schema) {
            return new Hashing(spec, schema.columnNames());
        }
    }

    /** A table read from a stream, or why none; with the SHA-256 of every byte read. */
    public record Read(DenseTable table, String sha256, CsvFormatException failure) {
    }

    private final Schema schema;
    private final int rows;
    private final float[][] numbers;
    private final int[][] codes;
    private final List<List<String>> categories;
    private final int[] labels;
    private final List<String> classes;
    private final List<Hashing> hashings;
    private final long[][] hashes;

    private DenseTable(Schema schema, int rows, float[][] numbers, int[][] codes, List<List<String>> categories,
                       int[] labels, List<String> classes, List<Hashing> hashings, long[][] hashes) {
        this.schema = schema;
        this.rows = rows;
        this.numbers = numbers;
        this.codes = codes;
        this.categories = categories;
        this.labels = labels;
        this.classes = classes;
        this.hashings = hashings;
        this.hashes = hashes;
    }

    /**
     * The dense form of a table in memory.
     *
     * @throws IllegalArgumentException when a schema column is missing or a numeric cell is not a number
     */
    public static DenseTable of(CsvTable table, Schema schema, List<Hashing> hashings) {
        Builder b = new Builder(schema, hashings, table.header().toArray(String[]::new), table.rows().size());
        String[] cells = new String[table.header().size()];
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> row = table.rows().get(r);
            try {
                b.add(row.toArray(cells), r + 2L);
            } catch (CsvFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return b.build();
    }

    /**
     * Reads a CSV stream (to its end, not closed) straight into the dense form, with {@link CsvStream}'s reading
     * rules; nothing per cell is kept but the arrays.
     *
     * @param expectedRows how many rows to make room for at once (0 when unknown: the arrays grow)
     * @throws IOException when the stream cannot be read
     */
    public static Read read(InputStream in, Schema schema, List<Hashing> hashings, long expectedRows)
            throws IOException {
        AnomalyLog log = new AnomalyLog(ValidationConfig.defaults());
        Sink sink = new Sink(schema, hashings, expectedRows);
        CsvStream.Read read = CsvStream.read(in, log, sink);
        if (sink.failure == null) {
            for (Anomaly a : log.anomalies(e -> e.kind() + " on line " + e.firstLine())) {
                if (a.kind().blocking()) {
                    long line = a.examples().isEmpty() ? 0 : a.examples().get(0).line();
                    sink.failure = new CsvFormatException((int) line, a.message());
                    break;
                }
            }
        }
        if (sink.failure == null && sink.builder == null) {
            sink.failure = new CsvFormatException(1, "the file is empty");
        }
        return sink.failure != null ? new Read(null, read.sha256(), sink.failure)
                : new Read(sink.builder.build(), read.sha256(), null);
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

    /** Rows per class, by class name (sorted), labelled rows only. */
    public Map<String, Long> labelCounts() {
        long[] counts = new long[classes.size()];
        for (int r = 0; r < rows; r++) {
            if (labels[r] >= 0) {
                counts[labels[r]]++;
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            out.put(classes.get(c), counts[c]);
        }
        return out;
    }

    /** The hashings asked for when the table was built, in order. */
    public List<Hashing> hashings() {
        return hashings;
    }

    /** The row hashes of hashing {@code h}, one per row (do not modify). */
    public long[] hashes(int h) {
        return hashes[h];
    }

    /**
     * The labelled rows split by the first hashing's spec: TEST, VALIDATION or TRAIN by the row's hash position;
     * training rows in hash order (then row order), so the same rows train in the same order however the file
     * was ordered. Rows without a label are left out.
     */
    public RowSplit split() {
        SplitSpec spec = hashings.get(0).spec();
        long[] hash = hashes[0];
        int[] counts = new int[3];
        for (int r = 0; r < rows; r++) {
            if (labels[r] >= 0) {
                counts[spec.partitionOf(hash[r]).ordinal()]++;
            }
        }
        int[] train = new int[counts[SplitSpec.Partition.TRAIN.ordinal()]];
        int[] validation = new int[counts[SplitSpec.Partition.VALIDATION.ordinal()]];
        int[] test = new int[counts[SplitSpec.Partition.TEST.ordinal()]];
        int t = 0;
        int v = 0;
        int e = 0;
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0) {
                continue;
            }
            switch (spec.partitionOf(hash[r])) {
                case TRAIN -> train[t++] = r;
                case VALIDATION -> validation[v++] = r;
                case TEST -> test[e++] = r;
            }
        }
        return new RowSplit(inHashOrder(train, hash), validation, test);
    }

    /** Rows sorted by their hash (unsigned order of the first hashing as a signed long, then row). */
    public int[] inHashOrder(int[] rowsToSort) {
        return inHashOrder(rowsToSort, hashes[0]);
    }

    private static int[] inHashOrder(int[] rowsToSort, long[] hash) {
        long[] keys = new long[rowsToSort.length];
        // Sorted by (hash, row): the hashes are distinct in practice, but ties must not depend on the sort.
        for (int i = 0; i < keys.length; i++) {
            keys[i] = hash[rowsToSort[i]];
        }
        int[] order = sortIndices(keys, rowsToSort);
        int[] out = new int[rowsToSort.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = rowsToSort[order[i]];
        }
        return out;
    }

    /** Indices 0..n-1 ordered by (key, row), without boxing: a merge sort on primitive arrays. */
    private static int[] sortIndices(long[] keys, int[] rowsOf) {
        int n = keys.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    int x = a[i];
                    int y = a[j];
                    boolean takeLeft = keys[x] < keys[y] || (keys[x] == keys[y] && rowsOf[x] <= rowsOf[y]);
                    tmp[k++] = takeLeft ? a[i++] : a[j++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
        return a;
    }

    /** Collects rows into growing arrays. */
    private static final class Builder {
        private final Schema schema;
        private final List<Hashing> hashings;
        private final int label;
        private final int[] featureColumn;
        private final int[][] hashColumns;
        private final RowHasher[] hashers;
        private final float[][] numbers;
        private final int[][] codes;
        private final List<Map<String, Integer>> vocabularies = new ArrayList<>();
        private final Map<String, Integer> labelCodes = new HashMap<>();
        private int[] labels;
        private long[][] hashes;
        private int rows;

        Builder(Schema schema, List<Hashing> hashings, String[] header, long expectedRows) {
            if (hashings.isEmpty()) {
                throw new IllegalArgumentException("a dense table needs at least one row hashing (its split)");
            }
            this.schema = schema;
            this.hashings = List.copyOf(hashings);
            List<String> names = Arrays.asList(header);
            this.label = column(names, schema.label());
            int features = schema.features().size();
            this.featureColumn = new int[features];
            int capacity = (int) Math.max(16, Math.min(Integer.MAX_VALUE - 8, expectedRows));
            this.numbers = new float[features][];
            this.codes = new int[features][];
            for (int f = 0; f < features; f++) {
                Column c = schema.features().get(f);
                featureColumn[f] = column(names, c.name());
                if (c.type() == ColumnType.NUMERIC) {
                    numbers[f] = new float[capacity];
                } else {
                    codes[f] = new int[capacity];
                }
                vocabularies.add(new HashMap<>());
            }
            this.labels = new int[capacity];
            this.hashColumns = new int[hashings.size()][];
            this.hashers = new RowHasher[hashings.size()];
            this.hashes = new long[hashings.size()][capacity];
            for (int h = 0; h < hashings.size(); h++) {
                List<String> cols = hashings.get(h).columns();
                hashColumns[h] = new int[cols.size()];
                for (int i = 0; i < cols.size(); i++) {
                    hashColumns[h][i] = column(names, cols.get(i));
                }
                hashers[h] = new RowHasher(hashings.get(h).spec().seed());
            }
        }

        private static int column(List<String> header, String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("column \"" + name + "\" is not in the table; its columns are "
                        + header);
            }
            return i;
        }

        void add(String[] cells, long line) throws CsvFormatException {
            grow();
            for (int f = 0; f < featureColumn.length; f++) {
                String cell = cells[featureColumn[f]];
                if (numbers[f] != null) {
                    numbers[f][rows] = number(cell, f, line);
                } else {
                    codes[f][rows] = Missing.isMissing(cell) ? -1 : code(vocabularies.get(f), cell.trim());
                }
            }
            String l = cells[label];
            labels[rows] = Missing.isMissing(l) ? -1 : code(labelCodes, l.trim());
            for (int h = 0; h < hashers.length; h++) {
                List<String> hashed = new ArrayList<>(hashColumns[h].length);
                for (int c : hashColumns[h]) {
                    hashed.add(cells[c]);
                }
                hashes[h][rows] = hashers[h].hash(hashed);
            }
            rows++;
        }

        void add(Row row) throws CsvFormatException {
            grow();
            char[] chars = row.chars();
            for (int f = 0; f < featureColumn.length; f++) {
                int c = featureColumn[f];
                int off = row.start(c);
                int len = row.length(c);
                if (numbers[f] != null) {
                    if (MissingMarkers.DEFAULT.isMissing(chars, off, len)) {
                        numbers[f][rows] = Float.NaN;
                    } else {
                        double d = NumberParser.parse(chars, off, len);
                        if (!Double.isFinite(d)) {
                            throw notANumber(row.text(c), f, row.line());
                        }
                        numbers[f][rows] = (float) d;
                    }
                } else {
                    codes[f][rows] = MissingMarkers.DEFAULT.isMissing(chars, off, len) ? -1
                            : code(vocabularies.get(f), row.text(c).trim());
                }
            }
            labels[rows] = MissingMarkers.DEFAULT.isMissing(chars, row.start(label), row.length(label)) ? -1
                    : code(labelCodes, row.text(label).trim());
            for (int h = 0; h < hashers.length; h++) {
                hashes[h][rows] = hashers[h].hash(row, hashColumns[h]);
            }
            rows++;
        }

        private float number(String cell, int f, long line) throws CsvFormatException {
            if (Missing.isMissing(cell)) {
                return Float.NaN;
            }
            double d = NumberParser.parse(cell);
            if (!Double.isFinite(d)) {
                throw notANumber(cell, f, line);
            }
            return (float) d;
        }

        private CsvFormatException notANumber(String cell, int f, long line) {
            return new CsvFormatException((int) Math.min(Integer.MAX_VALUE, line), "line " + line + ": \""
                    + Anomaly.shorten(new StringBuilder(cell)) + "\" in numeric column \""
                    + schema.features().get(f).name() + "\" is not a finite number");
        }

        private static int code(Map<String, Integer> vocabulary, String value) {
            Integer c = vocabulary.get(value);
            if (c == null) {
                c = vocabulary.size();
                vocabulary.put(value, c);
            }
            return c;
        }

        private void grow() {
            if (rows < labels.length) {
                return;
            }
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, labels.length + (labels.length >> 1) + 16L);
            if (capacity <= rows) {
                throw new IllegalStateException("more rows than one table can hold: " + rows);
            }
            for (int f = 0; f < numbers.length; f++) {
                if (numbers[f] != null) {
                    numbers[f] = Arrays.copyOf(numbers[f], capacity);
                } else {
                    codes[f] = Arrays.copyOf(codes[f], capacity);
                }
            }
            labels = Arrays.copyOf(labels, capacity);
            for (int h = 0; h < hashes.length; h++) {
                hashes[h] = Arrays.copyOf(hashes[h], capacity);
            }
        }

        DenseTable build() {
            // Classes in sorted order, so their codes do not depend on which row came first.
            List<String> classes = new ArrayList<>(new TreeSet<>(labelCodes.keySet()));
            int[] remap = new int[labelCodes.size()];
            labelCodes.forEach((name, code) -> remap[code] = classes.indexOf(name));
            int[] finalLabels = Arrays.copyOf(labels, rows);
            for (int r = 0; r < rows; r++) {
                if (finalLabels[r] >= 0) {
                    finalLabels[r] = remap[finalLabels[r]];
                }
            }
            float[][] n = new float[numbers.length][];
            int[][] k = new int[codes.length][];
            List<List<String>> cats = new ArrayList<>();
            for (int f = 0; f < numbers.length; f++) {
                n[f] = numbers[f] == null ? null : Arrays.copyOf(numbers[f], rows);
                k[f] = codes[f] == null ? null : Arrays.copyOf(codes[f], rows);
                String[] byCode = new String[vocabularies.get(f).size()];
                vocabularies.get(f).forEach((value, code) -> byCode[code] = value);
                cats.add(List.of(byCode));
            }
            long[][] h = new long[hashes.length][];
            for (int i = 0; i < hashes.length; i++) {
                h[i] = Arrays.copyOf(hashes[i], rows);
            }
            return new DenseTable(schema, rows, n, k, List.copyOf(cats), finalLabels, List.copyOf(classes),
                    hashings, h);
        }
    }

    /** The stream's records into a builder, stopping at the first problem. */
    private static final class Sink implements CsvStream.Sink {
        private final Schema schema;
        private final List<Hashing> hashings;
        private final long expectedRows;
        private String[] header;
        private Builder builder;
        private CsvFormatException failure;

        Sink(Schema schema, List<Hashing> hashings, long expectedRows) {
            this.schema = schema;
            this.hashings = hashings;
            this.expectedRows = expectedRows;
        }

        @Override
        public void header(String[] names, long line) {
            header = names;
            try {
                builder = new Builder(schema, hashings, names, expectedRows);
            } catch (IllegalArgumentException e) {
                failure = new CsvFormatException((int) line, e.getMessage());
            }
        }

        @Override
        public void row(Row row) {
            if (failure != null) {
                return;
            }
            if (row.size() != header.length) {
                failure = new CsvFormatException((int) Math.min(Integer.MAX_VALUE, row.line()), "line " + row.line()
                        + " has " + row.size() + " fields, header has " + header.length);
                return;
            }
            try {
                builder.add(row);
            } catch (CsvFormatException e) {
                failure = e;
            } catch (IllegalStateException e) {
                failure = new CsvFormatException((int) Math.min(Integer.MAX_VALUE, row.line()), e.getMessage());
            }
        }

        @Override
        public boolean stopped() {
            return failure != null;
        }
    }
}
