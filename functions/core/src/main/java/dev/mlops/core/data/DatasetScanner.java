package dev.mlops.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 *
 * <p>The pass keeps the order of things; each idea is its own class: {@link SchemaInference} (a first upload's
 * types), {@link CellChecks} (each cell against the schema, feeding the profiles), {@link FileRules} (the file
 * as a whole: header, rows, columns, label classes, duplicates by {@link RowHashes}) and {@link AnomalyText}
 * (the report's sentences).
 */
public final class DatasetScanner {

    /** What the pass checks the rows against. */
    public sealed interface Mode permits Mode.Infer, Mode.Validate {

        /**
         * First upload: infer the schema, {@code label} naming the label column, {@code task} the task (null:
         * inferred from the label's values, {@link SchemaInference#task}).
         */
        record Infer(String label, String task) implements Mode {
            public Infer {
                Objects.requireNonNull(label, "label");
                if (task != null && !Schema.TASKS.contains(task)) {
                    throw new SchemaException("unknown task \"" + task + "\"; expected classification or regression");
                }
            }

            /** The task inferred. */
            public Infer(String label) {
                this(label, null);
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

        /** Infer the schema of a given task (null: inferred too). */
        static Mode infer(String label, String task) {
            return new Infer(label, task);
        }

        /** Check against a schema. */
        static Mode validate(Schema schema) {
            return new Validate(schema);
        }
    }

    /** Characters of held-back rows past which types are inferred even before {@code inferenceRows}. */
    private static final long INFERENCE_CHARS = 16L * 1024 * 1024;
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
        final AnomalyLog log;
        private final Mode mode;
        private final ValidationConfig config;
        private final MissingMarkers markers;
        private final FileRules rules;
        private String[] header;
        private Schema schema;
        private boolean inferred;
        private String taskReason;
        private boolean stopped;
        private CellChecks cells;

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
            this.rules = new FileRules(config, log);
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
            Mode.Infer infer = (Mode.Infer) mode;
            Schema types = SchemaInference.infer(header, infer.label(), heldBack, markers, config);
            String task = infer.task();
            if (task == null) {
                SchemaInference.Inferred t = SchemaInference.task(header, infer.label(), heldBack, markers);
                task = t.task();
                taskReason = t.reason();
            }
            setUp(types.withTask(task), true);
            List<Row> rowsToCheck = heldBack;
            heldBack = null;
            for (Row r : rowsToCheck) {
                if (stopped) {
                    break;
                }
                check(r);
            }
        }

        private void setUp(Schema s, boolean wasInferred) {
            schema = s;
            inferred = wasInferred;
            rules.header(header, s);
            cells = new CellChecks(header, s, config, markers, log);
        }

        /** Validates and profiles one well-formed row. */
        private void check(Row row) {
            if (cells.check(row, hashes)) {
                countError(row.line());
            }
        }

        DatasetScan finish(String sha256, long bytes, boolean complete) {
            if (schema == null && heldBack != null && header != null && !stopped) {
                settle();
            }
            if (schema == null) {
                return new DatasetScan(false, sha256, bytes, rows, header == null ? 0 : header.length, complete, null,
                        false, log.anomalies(text()::describe), null, null);
            }
            Map<String, FeatureProfile> features = new LinkedHashMap<>();
            Map<String, Schema.Domain> domains = new LinkedHashMap<>();
            for (Column col : schema.features()) {
                FeatureProfile f = cells.profile(col);
                if (f == null) {
                    continue;
                }
                features.put(col.name(), f);
                rules.column(col, f, wellFormed, inferred, schema);
                Double completeness = wellFormed == 0 ? null : (double) (wellFormed - f.missing()) / wellFormed;
                domains.put(col.name(), col.type() == ColumnType.NUMERIC
                        ? Schema.Domain.numeric(f.min(), f.max(), completeness)
                        : Schema.Domain.categorical(f.categories() == null ? null
                        : List.copyOf(f.categories().keySet()), completeness));
            }
            rules.rows(rows);
            Map<String, Long> labelCounts = cells.labelCounts();
            FeatureProfile target = cells.targetProfile(schema.label());
            if (cells.labelPresent() && target != null) {
                rules.target(schema.label(), target, cells.targetOutliers());
            } else if (cells.labelPresent()) {
                rules.label(schema.label(), labelCounts, cells.labelsOverflow());
            }
            rules.duplicates(hashes, wellFormed);
            Schema result = schema;
            if (inferred) {
                List<String> labelValues = target == null && labelCounts.size() <= Profile.MAX_CATEGORIES
                        ? List.copyOf(labelCounts.keySet()) : null;
                result = new Schema(schema.label(), schema.features(), labelValues, domains, schema.task());
            }
            List<Anomaly> anomalies = log.anomalies(text()::describe);
            boolean valid = anomalies.stream().noneMatch(Anomaly::error);
            return new DatasetScan(valid, sha256, bytes, rows, header.length, complete, result, inferred, anomalies,
                    new Profile(wellFormed, features, labelCounts, target), taskReason);
        }

        private AnomalyText text() {
            return new AnomalyText(header, schema, inferred, wellFormed, config, markers);
        }
    }
}
