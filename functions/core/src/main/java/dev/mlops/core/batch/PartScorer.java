package dev.mlops.core.batch;

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
        String text = new String(part, StandardCharsets.UTF_8);
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
            while (start < text.length()) {
                long t0 = System.nanoTime();
                rows.clear();
                while (rows.size() < batch && start < text.length()) {
                    int end = text.indexOf('\n', start);
                    if (end < 0) {
                        end = text.length();
                    }
                    String line = text.substring(start,
                            end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
                    if (!line.isEmpty()) {
                        rows.add(parse(line));
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
        boolean raw = row.error == null && row.line != null;
        String[] cells = raw ? new String[classes.size() + (explainer == null ? 2 : 3)]
                : Arrays.copyOf(row.cells, header.size() + classes.size() + (explainer == null ? 2 : 3));
        int at = raw ? 0 : header.size();
        if (row.error != null) {
            Arrays.fill(cells, at, cells.length - 1, "");
            cells[cells.length - 1] = row.error;
        } else {
            cells[at++] = row.prediction.label();
            for (String c : classes) {
                cells[at++] = Double.toString(row.prediction.scores().getOrDefault(c, 0.0));
            }
            if (explainer != null) {
                cells[at++] = row.contributions;
            }
            cells[at] = "";
        }
        if (raw) {
            // The input's cells as they came (nothing in them to quote), then the record's other cells.
            csv.flush();
            out.write(row.line);
            out.write(',');
        }
        csv.writeRecord(cells);
    }

    /** One input line: its cells, or the reason it cannot be scored. */
    private static final class Row {
        final String[] cells;
        /** The line itself when it can be written back as it is (no quotes, no comment mark), else null. */
        String line;
        String error;
        Prediction prediction;
        String contributions;

        Row(String[] cells, String error) {
            this.cells = cells;
            this.error = error;
        }
    }

    private Row parse(String line) {
        if (line.indexOf('"') < 0 && line.indexOf('\r') < 0) {
            return split(line); // no quoting: the fields are what lies between the commas
        }
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

    /** A line without quotes or carriage returns, cut at its commas: what FastCSV reads from it. */
    private Row split(String line) {
        String[] cells = new String[header.size()];
        int fields = 0;
        int start = 0;
        while (true) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? line.length() : comma;
            if (fields < cells.length) {
                cells[fields] = line.substring(start, end);
            }
            fields++;
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        for (int i = fields; i < cells.length; i++) {
            cells[i] = "";
        }
        if (fields != header.size()) {
            return new Row(cells, "expected " + header.size() + " fields as in the header, found " + fields);
        }
        Row row = new Row(cells, null);
        row.line = line.charAt(0) == '#' ? null : line; // FastCSV quotes a record's leading comment mark
        return row;
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
        List<Row> encoded = new ArrayList<>(rows.size());
        List<Row> others = new ArrayList<>();
        for (Row row : rows) {
            for (int i = 0; i < values.length; i++) {
                values[i] = row.cells[featureColumns[i]];
            }
            if (dense.encode(values, matrix, encoded.size() * width)) {
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
            String value = row.cells[featureColumns[i]];
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
