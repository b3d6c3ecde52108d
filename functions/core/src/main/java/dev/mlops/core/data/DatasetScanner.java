package dev.mlops.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 *
 * <p><b>In parts.</b> A large file is also scanned as byte ranges of whole lines ({@link CsvParts}), on several
 * cores or by several workers: {@link #settle} reads the header and, on a first upload, the rows types are
 * inferred from (exactly the rows one pass infers them from); {@link #scanPart} scans one range against that
 * schema; {@link Merge} adds the parts up in file order into the {@link DatasetScan} of one pass: the same
 * verdict, anomalies (counts, first examples and their lines) and row counts, profile counts exact, quantiles and
 * distinct counts within their sketches' error ({@link Profile#merge}). Where parts cannot give one pass's answer
 * the merge says so (an empty result) and the caller scans the file in one pass: a quoting error in a part
 * (a quoted value with a line break that a part boundary cut, or a real error: either way one pass must say
 * where), validation stopped by {@link ValidationConfig#maxErrorRows()}, more label classes than
 * {@link ValidationConfig#maxClasses()}. Quoted line breaks a boundary does not cut are read as in one pass.
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

    /**
     * The schema parts are read against, settled from the start of the file as one pass settles it.
     *
     * @param header     the header's names (trimmed)
     * @param schema     the schema rows are checked against (on a first upload: the inferred types and task)
     * @param inferred   whether it was inferred from this file
     * @param taskReason how the task was inferred (null when it was given)
     * @param anomalies  what the header showed (names, columns against the schema)
     * @param bom        whether the file starts with a byte order mark (noted once every part is merged, where one
     *                   pass notes it)
     * @param expectedRows about how many data rows the whole file has (0: not known), which the parts' quantile
     *                   sketches size their sampling by ({@link CsvParts#estimatedRows}); absent from a plan an
     *                   earlier version wrote, which reads as not known
     */
    public record Settled(List<String> header, Schema schema, boolean inferred, String taskReason,
                          List<PartScan.Entry> anomalies, boolean bom, Long expectedRows) {

        /** Copies the lists; no expected rows is 0 (not known). */
        public Settled {
            header = List.copyOf(header);
            anomalies = List.copyOf(anomalies);
            expectedRows = expectedRows == null ? 0L : expectedRows;
        }

        /** The same, for a file of about {@code rows} data rows. */
        public Settled withExpectedRows(long rows) {
            return new Settled(header, schema, inferred, taskReason, anomalies, bom, rows);
        }
    }

    /**
     * Reads the start of a file (the stream from byte 0; it is not read to its end) until the schema is settled:
     * the header, and on a first upload the rows the types are inferred from.
     *
     * @return the settled schema, or empty when the file cannot be scanned in parts: no schema can be settled
     *         (no header, no label column), or the header is not the file's
     *         first line (blank lines before it, a quoted name with a line break); one pass reports why
     * @throws IOException when the input cannot be read
     */
    public static Optional<Settled> settle(InputStream head, Mode mode, ValidationConfig config) throws IOException {
        Pass pass = new Pass(mode, config);
        pass.settleOnly = true;
        CsvStream.Head read = CsvStream.readHead(head, pass.log, pass);
        if (pass.schema == null && pass.heldBack != null && pass.header != null && !pass.stopped) {
            pass.settle(); // a file with fewer rows than are held back for inference
        }
        if (!read.headerOnFirstLine() || pass.schema == null) {
            return Optional.empty();
        }
        return Optional.of(new Settled(List.of(pass.header), pass.schema, pass.inferred, pass.taskReason,
                pass.log.entries(), read.bom(), 0L));
    }

    /**
     * Scans one part of a file: a byte range that starts after a line break, past the header, and ends on one (or
     * at the end of the file), as {@link CsvParts} plans them. The stream is read to its end, not closed.
     *
     * @param range   the part's bytes
     * @param part    the part's index in file order
     * @param settled the schema from {@link #settle}
     * @throws IOException when the input cannot be read
     */
    public static PartScan scanPart(InputStream range, int part, Settled settled, ValidationConfig config)
            throws IOException {
        Pass pass = new Pass(new Mode.Validate(settled.schema()), config);
        String[] header = settled.header().toArray(new String[0]);
        pass.part(header, settled);
        CsvStream.PartRead read = CsvStream.readPart(range, pass.log, pass, header);
        return pass.partScan(part, read);
    }

    /**
     * Adds up the {@link PartScan}s of one file, in file order, into the scan one pass gives; parts can be added
     * as they finish, so only the sums are kept, not the parts.
     */
    public static final class Merge {
        private final Settled settled;
        private final ValidationConfig config;
        private final AnomalyLog log;
        private final RowHashes hashes = new RowHashes();
        /** Lines before the next part: the header's, then each part's. */
        private long offset = 1;
        private int next;
        private long rows;
        private long wellFormed;
        private long errorRows;
        private Profile profile;
        private long blankLines;
        private long firstBlank;
        private String inexact;

        /** An empty merge of the parts of a file whose schema was settled as given. */
        public Merge(Settled settled, ValidationConfig config) {
            this.settled = Objects.requireNonNull(settled, "settled");
            this.config = Objects.requireNonNull(config, "config");
            this.log = new AnomalyLog(config);
            log.merge(settled.anomalies(), 0);
        }

        /**
         * Adds the next part.
         *
         * @throws IllegalArgumentException when it is not the next part in file order
         */
        public void add(PartScan p) {
            if (p.part() != next) {
                throw new IllegalArgumentException("parts merge in file order: expected part " + next + ", got "
                        + p.part());
            }
            next++;
            if (inexact != null) {
                return;
            }
            if (p.quotingError()) {
                inexact = "part " + p.part() + " has a quoting error";
                return;
            }
            if (!p.complete()) {
                inexact = "part " + p.part() + " stopped early";
                return;
            }
            if (p.labelsOverflow() > 0) {
                inexact = "part " + p.part() + " has more label classes than validation.max_classes";
                return;
            }
            if (blankLines > 0 && p.rows() > 0) {
                // Blank lines at the end of the parts before are between rows after all.
                for (long l = firstBlank; l < firstBlank + Math.min(blankLines, Anomaly.MAX_EXAMPLES); l++) {
                    log.row(AnomalyKind.BLANK_LINE, null, l, "");
                }
                if (blankLines > Anomaly.MAX_EXAMPLES) {
                    log.note(AnomalyKind.BLANK_LINE, null, blankLines - Anomaly.MAX_EXAMPLES, null);
                }
                blankLines = 0;
            }
            log.merge(p.anomalies(), offset);
            hashes.merge(p.hashes(), offset);
            profile = profile == null ? p.profile() : Profile.merge(profile, p.profile());
            rows += p.rows();
            wellFormed += p.wellFormed();
            errorRows += p.errorRows();
            if (errorRows >= config.maxErrorRows()) {
                inexact = "validation stops at validation.max_error_rows rows with errors";
            }
            if (p.trailingBlankLines() > 0) {
                if (blankLines == 0) {
                    firstBlank = offset + p.firstTrailingBlank();
                }
                blankLines += p.trailingBlankLines();
            }
            offset += p.lines();
        }

        /**
         * The scan of the whole file.
         *
         * @param sha256 SHA-256 of the file's bytes
         * @param bytes  the file's size
         * @return the scan, or empty when the parts cannot give one pass's answer (then scan the file in one pass)
         */
        public Optional<DatasetScan> finish(String sha256, long bytes) {
            if (inexact == null && profile != null && profile.labels().size() > config.maxClasses() + 1) {
                inexact = "more label classes than validation.max_classes";
            }
            if (inexact != null) {
                return Optional.empty();
            }
            if (settled.bom()) {
                CsvStream.noteBom(log);
            }
            Pass pass = new Pass(new Mode.Validate(settled.schema()), config);
            pass.part(settled.header().toArray(new String[0]), settled);
            pass.taskReason = settled.taskReason();
            Profile p = profile == null ? pass.profileOf(pass.cells, 0) : profile;
            return Optional.of(pass.conclude(log, sha256, bytes, rows, wellFormed, true, p, 0, hashes));
        }

        /** Why the parts cannot give one pass's answer, or null. */
        public String inexact() {
            return inexact;
        }
    }

    /**
     * Whether passes take plain lines straight from their bytes ({@link CellChecks#takePlain}); tests turn it off to
     * compare with every line read through a {@link Row}.
     */
    static boolean takePlainLines = true;

    /** The state of one pass. */
    private static final class Pass implements CsvStream.Sink, PlainLines.Taker {
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
        /** Only settle the schema: stop once it is (rows are not checked). */
        boolean settleOnly;

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
            return stopped || settleOnly && schema != null;
        }

        /** Reads a part: the header and schema are settled (their checks were noted when they were). */
        void part(String[] names, Settled settled) {
            header = names;
            schema = settled.schema();
            inferred = settled.inferred();
            heldBack = null;
            cells = new CellChecks(header, schema, config, markers, log, settled.expectedRows());
        }

        PartScan partScan(int part, CsvStream.PartRead read) {
            Profile profile = profileOf(cells, wellFormed);
            return new PartScan(part, read.lines(), rows, wellFormed, errorRows, read.complete() && !stopped,
                    log.entries(), profile, cells.labelsOverflow(), hashes.snapshot(), read.trailingBlankLines(),
                    read.firstTrailingBlank());
        }

        Profile profileOf(CellChecks c, long wellFormedRows) {
            Map<String, FeatureProfile> features = new LinkedHashMap<>();
            for (Column col : schema.features()) {
                FeatureProfile f = c.profile(col);
                if (f != null) {
                    features.put(col.name(), f);
                }
            }
            return new Profile(wellFormedRows, features, c.labelCounts(), c.targetProfile(schema.label()));
        }

        /** Once the schema is settled (and rows held back for it checked): this pass, if its cells take plain lines. */
        @Override
        public PlainLines.Taker plainRows() {
            return takePlainLines && cells != null && !settleOnly && !stopped && cells.takesPlain() ? this : null;
        }

        /** What {@link #row} does, for the plain lines {@link CellChecks#takePlain} takes (well-formed, no errors). */
        @Override
        public long take(byte[] b, int from, int end, long firstLine) {
            long r = cells.takePlain(b, from, end, firstLine, hashes);
            long lines = r >>> 32 & 0x3FFF_FFFF;
            rows += lines;
            wellFormed += lines;
            return r;
        }

        @Override
        public void header(String[] names, long line) {
            header = names;
            // Settling only: what the rows show is for the parts that hold them to note.
            log.muted = settleOnly;
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
            if (settleOnly && row.size() != header.length) {
                return; // reported by the part that holds it
            }
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
            if (settleOnly) {
                return;
            }
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
            boolean muted = log.muted;
            log.muted = false;
            rules.header(header, s);
            log.muted = muted;
            cells = new CellChecks(header, s, config, markers, log, 0);
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
                        false, log.anomalies(text(wellFormed)::describe), null, null);
            }
            return conclude(log, sha256, bytes, rows, wellFormed, complete, profileOf(cells, wellFormed),
                    cells.labelsOverflow(), hashes);
        }

        /** The rules about the file as a whole, once its rows are counted and profiled, and the scan. */
        DatasetScan conclude(AnomalyLog into, String sha256, long bytes, long rowCount, long wellFormedRows,
                             boolean complete, Profile profile, long labelsOverflow, RowHashes rowHashes) {
            FileRules fileRules = new FileRules(config, into);
            Map<String, Schema.Domain> domains = new LinkedHashMap<>();
            for (Column col : schema.features()) {
                FeatureProfile f = profile.features().get(col.name());
                if (f == null) {
                    continue;
                }
                fileRules.column(col, f, wellFormedRows, inferred, schema);
                Double completeness = wellFormedRows == 0 ? null
                        : (double) (wellFormedRows - f.missing()) / wellFormedRows;
                domains.put(col.name(), col.type() == ColumnType.NUMERIC
                        ? Schema.Domain.numeric(f.min(), f.max(), completeness)
                        : Schema.Domain.categorical(f.categories() == null ? null
                        : List.copyOf(f.categories().keySet()), completeness));
            }
            fileRules.rows(rowCount);
            Map<String, Long> labelCounts = profile.labels();
            FeatureProfile target = profile.target();
            boolean labelPresent = List.of(header).contains(schema.label());
            if (labelPresent && target != null) {
                fileRules.target(schema.label(), target, target.count() == 0 ? null
                        : NumericStats.of(target).outliers(CellChecks.OUTLIER_IQRS));
            } else if (labelPresent) {
                fileRules.label(schema.label(), labelCounts, labelsOverflow);
            }
            fileRules.duplicates(rowHashes, wellFormedRows);
            Schema result = schema;
            if (inferred) {
                List<String> labelValues = target == null && labelCounts.size() <= Profile.MAX_CATEGORIES
                        ? List.copyOf(labelCounts.keySet()) : null;
                result = new Schema(schema.label(), schema.features(), labelValues, domains, schema.task());
            }
            List<Anomaly> anomalies = into.anomalies(text(wellFormedRows)::describe);
            boolean valid = anomalies.stream().noneMatch(Anomaly::error);
            return new DatasetScan(valid, sha256, bytes, rowCount, header.length, complete, result, inferred,
                    anomalies, new Profile(wellFormedRows, profile.features(), labelCounts, target), taskReason);
        }

        private AnomalyText text(long wellFormedRows) {
            return new AnomalyText(header, schema, inferred, wellFormedRows, config, markers);
        }
    }
}
