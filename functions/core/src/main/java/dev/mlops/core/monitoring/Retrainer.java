package dev.mlops.core.monitoring;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.drift.DriftConfig;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunCause;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RunLog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the training pipeline when a check found drift or degraded quality, at most once per cool-down:
 *
 * <ul>
 *   <li>With labelled captured rows (and {@code include_feedback}): writes the latest accepted dataset version plus
 *       those rows as a new upload, {@code incoming/<dataset>/retrain-<check>.csv}, whose object metadata names the
 *       check. Ingest validates it like any upload, records a new dataset version (lineage stays whole) and starts
 *       the run, whose request carries the cause. The run id is known here already: it is derived from the
 *       content's sha256.</li>
 *   <li>Without: starts a run on the latest accepted version as it is (its first run's request, with the cause),
 *       unless production was trained on exactly that version: the same data would train the same model.</li>
 * </ul>
 *
 * <p>The cool-down is a conditional write ({@link DriftCheckLog#claimRetraining}), so of two checks racing, one
 * starts a run. A claim whose retraining could not be started is given back, so the next check tries again. The
 * new model goes through the same blessing as any: retraining never replaces a better model.
 */
final class Retrainer {

    /** Largest base dataset the check appends labelled rows to (it is copied through the function's memory). */
    static final long MAX_BASE_BYTES = 256L << 20;

    static final String REQUESTED = "REQUESTED";
    static final String STARTED = "STARTED";
    static final String COOL_DOWN = "COOL_DOWN";
    static final String NO_NEW_DATA = "NO_NEW_DATA";
    static final String DISABLED = "DISABLED";
    static final String FAILED = "FAILED";

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final DatasetCatalog datasets;
    private final RunLog runs;
    private final PipelineLauncher launcher;
    private final DriftCheckLog checks;
    private final Clock clock;

    Retrainer(ObjectStore store, DatasetCatalog datasets, RunLog runs, PipelineLauncher launcher, DriftCheckLog checks,
              Clock clock) {
        this.store = store;
        this.datasets = datasets;
        this.runs = runs;
        this.launcher = launcher;
        this.checks = checks;
        this.clock = clock;
    }

    DriftCheck.Retraining retrain(ModelVersion production, RunCause cause, List<CaptureScan.LabelledRow> labelled,
                                  DriftConfig.Retraining config) {
        String model = production.model();
        if (!config.enabled()) {
            return notStarted(DISABLED, 0, "retraining is off for " + model
                    + " (drift.retraining.enabled in the dataset's config.json)");
        }
        String dataset = production.lineage().dataset();
        Optional<DatasetVersion> latest = datasets.versions(dataset).stream().filter(DatasetVersion::valid)
                .reduce((a, b) -> b);
        if (latest.isEmpty()) {
            return notStarted(NO_NEW_DATA, 0, "dataset " + dataset + " has no accepted version");
        }
        List<CaptureScan.LabelledRow> rows = config.includeFeedback() ? labelled : List.of();
        DatasetVersion base = latest.get();
        if (rows.isEmpty() && base.version().equals(production.lineage().datasetVersion())) {
            return outcome(NO_NEW_DATA, null, base.version(), null, 0, "production v" + production.version()
                    + " was trained on the latest accepted version of " + dataset + " and no labelled captured rows"
                    + " are in the window: the same data would train the same model. Send ground truth"
                    + " (POST :feedback, ./mlops feedback) or upload new data");
        }
        Instant now = clock.instant();
        Duration coolDown = Duration.ofMillis(Math.round(config.coolDownHours() * 3_600_000));
        Optional<DriftCheckLog.RetrainingClaim> held = checks.claimRetraining(model, cause.checkId(), now,
                now.minus(coolDown));
        if (held.isPresent()) {
            return notStarted(COOL_DOWN, 0, "check " + held.get().checkId() + " started the retraining of "
                    + model + " at " + held.get().claimedAt() + "; the next can start after "
                    + held.get().claimedAt().plus(coolDown) + " (drift.retraining.cool_down_hours "
                    + number(config.coolDownHours()) + ")");
        }
        try {
            return rows.isEmpty() ? rerun(base, cause) : upload(production, base, rows, cause);
        } catch (RuntimeException e) {
            checks.releaseRetraining(model, cause.checkId());
            return notStarted(FAILED, rows.size(), "the retraining could not be started: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The latest accepted version plus the labelled rows, uploaded for ingest to validate and train. */
    private DriftCheck.Retraining upload(ModelVersion production, DatasetVersion base, List<CaptureScan.LabelledRow> rows,
                                         RunCause cause) {
        String dataset = base.dataset();
        ObjectStore.ObjectInfo head = store.head(base.sourceKey(), base.sourceVersionId()).orElse(null);
        if (head == null) {
            throw new IllegalStateException("the latest accepted version's file s3://" + store.bucket() + "/"
                    + base.sourceKey() + " is gone");
        }
        if (head.size() > MAX_BASE_BYTES) {
            throw new IllegalStateException("the latest accepted version of " + dataset + " is " + head.size()
                    + " bytes; labelled rows are appended to at most " + MAX_BASE_BYTES + " (upload the new data instead)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) head.size() + rows.size() * 128);
        List<String> header;
        try (InputStream in = store.open(base.sourceKey(), base.sourceVersionId()).orElseThrow(
                () -> new IllegalStateException("the latest accepted version's file is gone"))) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] original = out.toByteArray();
        header = header(original);
        if (original.length > 0 && original[original.length - 1] != '\n') {
            out.write('\n');
        }
        String label = base.label();
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
                .build(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            for (CaptureScan.LabelledRow row : rows) {
                List<String> cells = new ArrayList<>(header.size());
                for (String column : header) {
                    if (column.equals(label)) {
                        cells.add(row.actual());
                    } else {
                        Object v = row.features().get(column);
                        cells.add(v == null ? "" : v.toString());
                    }
                }
                csv.writeRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        String key = Layout.retrainingUpload(dataset, cause.checkId());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("label", label);
        metadata.put("model", production.model());
        metadata.put("cause-check", cause.checkId());
        metadata.put("cause-verdict", cause.verdict());
        if (cause.report() != null) {
            metadata.put("cause-report", cause.report());
        }
        store.put(key, bytes, "text/csv", metadata);
        String version = Sha256.hex(bytes);
        String runId = RunRequest.runIdFor(dataset, version);
        return outcome(REQUESTED, runId, version, key, rows.size(), "uploaded " + key + ": the latest accepted version "
                + "of " + dataset + " (" + base.rows() + " rows) plus " + rows.size() + " labelled captured rows; ingest"
                + " validates it as dataset version " + version.substring(0, 12) + "… and starts run " + runId);
    }

    /** A new run on the latest accepted version as it is, from its first run's request. */
    private DriftCheck.Retraining rerun(DatasetVersion base, RunCause cause) {
        String first = RunRequest.runIdFor(base.dataset(), base.version());
        RunRequest original = runs.find(first).map(Run::request).orElseThrow(() -> new IllegalStateException(
                "no run request is recorded for dataset version " + base.version() + " (run " + first + ")"));
        String runId = base.dataset() + "-" + base.version().substring(0, 16) + "-d" + RUN_TIME.format(clock.instant());
        RunRequest request = original.withRunId(runId).withCause(cause);
        runs.start(Run.started(request, launcher.executionIdFor(runId), 1, null, clock.instant()));
        launcher.start(request);
        return outcome(STARTED, runId, base.version(), null, 0, "started run " + runId + " on the latest accepted"
                + " version of " + base.dataset() + " (" + base.rows() + " rows, no labelled rows added)");
    }

    private static List<String> header(byte[] csv) {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(
                new InputStreamReader(new java.io.ByteArrayInputStream(csv), StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> it = reader.iterator();
            if (!it.hasNext()) {
                throw new IllegalStateException("the latest accepted version has no header");
            }
            List<String> fields = new ArrayList<>(it.next().getFields());
            if (!fields.isEmpty() && fields.get(0).startsWith("\uFEFF")) {
                fields.set(0, fields.get(0).substring(1));
            }
            return fields;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DriftCheck.Retraining outcome(String status, String runId, String version, String upload, long rows,
                                                 String reason) {
        return new DriftCheck.Retraining(status, runId, version, upload, rows, reason);
    }

    /** No run started and no upload written: the status and why. */
    private static DriftCheck.Retraining notStarted(String status, long rows, String reason) {
        return outcome(status, null, null, null, rows, reason);
    }

    private static String number(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%s", x);
    }
}
