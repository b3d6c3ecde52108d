package dev.mlops.core.batch;

import com.fasterxml.jackson.core.io.NumberOutput;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.mlops.core.data.Column;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.DenseBatch;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.model.explain.ExplainedPrediction;
import dev.mlops.core.model.explain.Explainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores the rows of one part (whole lines, no header) with a loaded {@link Predictor}, under the same request
 * rules as {@code :predict}: the model's features are taken from the row by name (other columns are carried
 * through), an empty cell is missing. Rows are scored {@value Predictor#MAX_INSTANCES} at a time; a row the
 * predictor refuses, or a line that is not CSV or has the wrong number of fields, gets its reason in the {@code
 * error} column and the rest of the part is scored. Output rows are in input order: the input's cells, then
 * {@code prediction}, {@code score_<class>} per class, with {@code --explain K} a {@code contributions} column
 * (the row's K largest contributions by absolute size, {@link #contributions}), and {@code error}. Explained rows
 * go through the {@link Explainer} {@value Explainer#MAX_INSTANCES} at a time, which predicts them too. Without
 * {@code --explain}, a model with a {@link DenseBatch} (an XGBoost classifier) scores each batch on one dense
 * matrix, with the same answers; the rows it does not take go through the predictor. A line without quotes is
 * written back as it came.
 */
final class PartScorer {

    /** What one part gave, and the nanoseconds it spent parsing, scoring and formatting. */
    record Scored(byte[] csv, long rows, long errors, Map<String, Long> predictions, long denseRows,
                  long parseNanos, long scoreNanos, long formatNanos) {
    }

    private static final MathContext SIX_DIGITS = new MathContext(6);

    private final Predictor predictor;
    private final List<String> header;
    private final List<String> classes;
    private final String[] featureNames;
    private final int[] featureColumns;
    private final CsvReader.CsvReaderBuilder lines = CsvReader.builder();
    private final Explainer explainer;
    private final int explain;
    /** The model's dense batch path, when it has one and no contributions are asked for. */
    private final DenseBatch dense;
    /** Rows the dense path answered (the others went through the predictor, or got an error). */
    private long denseRows;

    /**
     * @param explain contributions per row (null: none)
     */
    PartScorer(Predictor predictor, List<String> header, Integer explain) {
        this.predictor = predictor;
        this.explainer = explain == null ? null : Explainer.of(predictor);
        this.explain = explain == null ? 0 : explain;
        this.dense = explainer == null ? predictor.denseBatch().orElse(null) : null;
        this.header = header;
        this.classes = predictor.signature().classes();
        requireFeatures(predictor.signature(), header);
        List<Column> features = predictor.signature().features();
        this.featureNames = new String[features.size()];
        this.featureColumns = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            featureNames[i] = features.get(i).name();
            featureColumns[i] = header.indexOf(featureNames[i]);
        }
    }

    /** Refuses a header that lacks a feature of the model, naming them. */
    static void requireFeatures(ModelSignature signature, List<String> header) {
        List<String> missing = signature.features().stream().map(Column::name).filter(f -> !header.contains(f))
                .toList();
        if (!missing.isEmpty()) {
            throw new ContractException("the batch input's header lacks the model's features " + missing
                    + " (its columns: " + header + ")");
        }
    }

    /** The output's header line: the input's columns, the prediction, a score per class, contributions, error. */
    static byte[] outputHeader(List<String> header, List<String> classes, boolean explained) {
        List<String> columns = new ArrayList<>(header);
        columns.add("prediction");
        classes.forEach(c -> columns.add("score_" + c));
        if (explained) {
            columns.add("contributions");
        }
        columns.add("error");
        return write(List.<String[]>of(columns.toArray(String[]::new)));
    }

    /**
     * Scores every line of the part, {@value Predictor#MAX_INSTANCES} lines at a time ({@value
     * Explainer#MAX_INSTANCES} with contributions): each batch of lines is parsed, scored and written before the
     * next is read, so only the part's bytes, its output and one batch of rows are alive at once. Holding every row
     * of a 16 MiB part until the end kept about 300 MB alive through the serial collector's young collections and
     * cost a part's environment a quarter of its time in copying and full collections (BENCHMARKS.md).
     */
    Scored score(byte[] part) throws IOException {
        // Decoded once into characters (a String, then its char[], was a second copy of the part).
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(part));
        char[] text = decoded.array();
        int length = decoded.limit();
        int batch = explainer == null ? Predictor.MAX_INSTANCES : Explainer.MAX_INSTANCES;
        List<Row> rows = new ArrayList<>(batch);
        List<Row> valid = new ArrayList<>(batch);
        Map<String, Long> predictions = new TreeMap<>();
        long lines = 0;
        long errors = 0;
        long parseNanos = 0;
        long scoreNanos = 0;
        long formatNanos = 0;
        StringWriter out = new StringWriter(part.length + part.length / 2);
        try (CsvWriter csv = csvWriter(out)) {
            int start = 0;
            while (start < length) {
                long t0 = System.nanoTime();
                rows.clear();
                while (rows.size() < batch && start < length) {
                    int end = start;
                    while (end < length && text[end] != '\n') {
                        end++;
                    }
                    int last = end > start && text[end - 1] == '\r' ? end - 1 : end;
                    if (last > start) {
                        rows.add(parse(text, start, last));
                    }
                    start = end + 1;
                }
                long t1 = System.nanoTime();
                valid.clear();
                for (Row row : rows) {
                    if (row.error == null) {
                        valid.add(row);
                    }
                }
                if (!valid.isEmpty()) {
                    predict(valid);
                }
                long t2 = System.nanoTime();
                for (Row row : rows) {
                    if (row.error != null) {
                        errors++;
                    } else {
                        predictions.merge(row.prediction.label(), 1L, Long::sum);
                    }
                    write(row, csv, out);
                }
                lines += rows.size();
                parseNanos += t1 - t0;
                scoreNanos += t2 - t1;
                formatNanos += System.nanoTime() - t2;
            }
        }
        long t3 = System.nanoTime();
        byte[] csv = out.toString().getBytes(StandardCharsets.UTF_8);
        return new Scored(csv, lines, errors, predictions, denseRows, parseNanos, scoreNanos,
                formatNanos + System.nanoTime() - t3);
    }

    /** One output record: the input's cells, the prediction and its scores (or empty cells and the error). */
    private void write(Row row, CsvWriter csv, StringWriter out) throws IOException {
        boolean raw = row.error == null && row.raw;
        String[] cells = raw ? new String[classes.size() + (explainer == null ? 2 : 3)]
                : Arrays.copyOf(row.cells(), header.size() + classes.size() + (explainer == null ? 2 : 3));
        int at = raw ? 0 : header.size();
        if (row.error != null) {
            Arrays.fill(cells, at, cells.length - 1, "");
            cells[cells.length - 1] = row.error;
        } else {
            cells[at++] = row.prediction.label();
            for (String c : classes) {
                // The shortest digits that read back as the same double (Jackson's Schubfach writer): about twice
                // as fast as Java 17's Double.toString, which sometimes writes more digits than that.
                cells[at++] = NumberOutput.toString(row.prediction.scores().getOrDefault(c, 0.0), true);
            }
            if (explainer != null) {
                cells[at++] = row.contributions;
            }
            cells[at] = "";
        }
        if (raw) {
            // The input's cells as they came (nothing in them to quote), then the record's other cells.
            csv.flush();
            out.write(row.text, row.bounds[0], row.bounds[header.size()] - 1 - row.bounds[0]);
            out.write(',');
        }
        csv.writeRecord(cells);
    }

    /**
     * One input line: its cells, or the reason it cannot be scored. A plain line (no quote, no carriage return,
     * the header's number of fields) keeps only where its cells lie in the part's text; its cells become strings
     * only if something needs them (the predictor's path, or a row written through the CSV writer).
     */
    private static final class Row {
        private String[] cells;
        /** A plain line's text, and where its cells start: cell i is [bounds[i], bounds[i + 1] - 1). */
        final char[] text;
        final int[] bounds;
        /** Written back as it came: a plain line, not led by a comment mark (FastCSV would quote it). */
        final boolean raw;
        String error;
        Prediction prediction;
        String contributions;

        Row(String[] cells, String error) {
            this.cells = cells;
            this.error = error;
            this.text = null;
            this.bounds = null;
            this.raw = false;
        }

        Row(char[] text, int[] bounds) {
            this.text = text;
            this.bounds = bounds;
            this.raw = text[bounds[0]] != '#';
        }

        String[] cells() {
            if (cells == null) {
                cells = new String[bounds.length - 1];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = new String(text, bounds[i], bounds[i + 1] - 1 - bounds[i]);
                }
            }
            return cells;
        }
    }

    /** The line {@code text[start, end)}. */
    private Row parse(char[] text, int start, int end) {
        int n = header.size();
        int[] bounds = new int[n + 1];
        bounds[0] = start;
        int fields = 1;
        for (int i = start; i < end; i++) {
            char c = text[i];
            if (c == ',') {
                if (fields < n) {
                    bounds[fields] = i + 1;
                }
                fields++;
            } else if (c == '"' || c == '\r') {
                return parse(new String(text, start, end - start));
            }
        }
        if (fields != n) {
            // The line's first cells (as many as the header has), then empty ones: what FastCSV reads from it.
            String[] cells = new String[n];
            Arrays.fill(cells, "");
            String line = new String(text, start, end - start);
            String[] split = line.split(",", -1);
            System.arraycopy(split, 0, cells, 0, Math.min(n, split.length));
            return new Row(cells, "expected " + n + " fields as in the header, found " + fields);
        }
        bounds[n] = end + 1;
        return new Row(text, bounds);
    }

    /** A line with a quote or a carriage return in it, read by FastCSV. */
    private Row parse(String line) {
        CsvRecord record;
        try {
            record = lines.ofSingleCsvRecord(line);
        } catch (CsvParseException | UncheckedIOException e) {
            String[] cells = new String[header.size()];
            Arrays.fill(cells, "");
            cells[0] = line;
            return new Row(cells, "not a valid CSV line: " + e.getMessage());
        }
        String[] cells = new String[header.size()];
        List<String> fields = record.getFields();
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i < fields.size() ? fields.get(i) : "";
        }
        if (fields.size() != header.size()) {
            return new Row(cells, "expected " + header.size() + " fields as in the header, found " + fields.size());
        }
        return new Row(cells, null);
    }

    /**
     * Scores a batch of rows with one model call (one explainer call with {@code --explain}); when the model
     * refuses one, each row alone, so only bad ones fail.
     */
    private void predict(List<Row> rows) {
        if (dense != null) {
            rows = predictDense(rows);
            if (rows.isEmpty()) {
                return;
            }
        }
        try {
            score(rows);
        } catch (InvalidInstanceException refused) {
            for (Row row : rows) {
                try {
                    score(List.of(row));
                } catch (InvalidInstanceException e) {
                    row.error = e.field() == null ? e.getMessage().replaceFirst("^instances\\[0]: ", "")
                            : e.getMessage().replaceFirst("^instances\\[0]\\.", "");
                }
            }
        }
    }

    /**
     * Scores the rows the dense path takes in one call on one matrix; returns the others (a value that is not a
     * number, nothing the model knows, scores that are not finite) for {@link Predictor#predict} to answer.
     */
    private List<Row> predictDense(List<Row> rows) {
        int width = dense.width();
        float[] matrix = new float[rows.size() * width];
        String[] values = new String[featureColumns.length];
        int[] from = new int[featureColumns.length];
        int[] to = new int[featureColumns.length];
        List<Row> encoded = new ArrayList<>(rows.size());
        List<Row> others = new ArrayList<>();
        for (Row row : rows) {
            boolean usable;
            if (row.text != null) {
                // A plain line's cells straight from the part's text: no string per cell.
                for (int i = 0; i < from.length; i++) {
                    from[i] = row.bounds[featureColumns[i]];
                    to[i] = row.bounds[featureColumns[i] + 1] - 1;
                }
                usable = dense.encode(row.text, from, to, matrix, encoded.size() * width);
            } else {
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.cells[featureColumns[i]];
                }
                usable = dense.encode(values, matrix, encoded.size() * width);
            }
            if (usable) {
                encoded.add(row);
            } else {
                others.add(row);
            }
        }
        if (!encoded.isEmpty()) {
            float[] m = encoded.size() == rows.size() ? matrix : Arrays.copyOf(matrix, encoded.size() * width);
            List<Prediction> predictions = dense.predict(m, encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                if (predictions.get(i) == null) {
                    others.add(encoded.get(i));
                } else {
                    encoded.get(i).prediction = predictions.get(i);
                    denseRows++;
                }
            }
        }
        return others;
    }

    private void score(List<Row> rows) {
        List<Map<String, String>> instances = rows.stream().map(this::instance).toList();
        if (explainer == null) {
            List<Prediction> predictions = predictor.predict(instances);
            for (int i = 0; i < rows.size(); i++) {
                rows.get(i).prediction = predictions.get(i);
            }
            return;
        }
        List<ExplainedPrediction> explained = explainer.explain(instances);
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).prediction = explained.get(i).prediction();
            rows.get(i).contributions = contributions(explained.get(i).explanation().top(explain));
        }
    }

    /**
     * A row's contributions in one cell: {@code feature=value} pairs joined by {@code ;}, largest by absolute
     * size first, each value to 6 significant digits (e.g. {@code petal_length_cm=2.41873;petal_width_cm=-0.3}).
     */
    static String contributions(List<Map.Entry<String, Double>> top) {
        StringBuilder cell = new StringBuilder(top.size() * 24);
        for (Map.Entry<String, Double> e : top) {
            if (!cell.isEmpty()) {
                cell.append(';');
            }
            double v = e.getValue();
            cell.append(e.getKey()).append('=').append(Double.isFinite(v)
                    ? new BigDecimal(v).round(SIX_DIGITS).stripTrailingZeros().toPlainString() : Double.toString(v));
        }
        return cell.toString();
    }

    private Map<String, String> instance(Row row) {
        Map<String, String> instance = new HashMap<>(featureNames.length * 2);
        for (int i = 0; i < featureNames.length; i++) {
            String value = row.cells()[featureColumns[i]];
            instance.put(featureNames[i], value.isEmpty() ? null : value);
        }
        return instance;
    }

    private static CsvWriter csvWriter(java.io.Writer out) {
        return CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out);
    }

    private static byte[] write(List<String[]> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvWriter csv = csvWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
            for (String[] row : rows) {
                csv.writeRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
