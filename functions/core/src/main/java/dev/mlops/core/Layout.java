package dev.mlops.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where everything lives in the data bucket. Every key the project reads or writes is built here,
 * so the layout documented in docs/architecture.md ("Storage") is the layout in the code.
 *
 * <pre>
 * incoming/&lt;dataset&gt;/&lt;file&gt;.csv              uploads (the trigger)
 * schemas/&lt;dataset&gt;/schema.json                the accepted schema
 * schemas/&lt;dataset&gt;/config.json                pipeline settings (optional)
 * datasets/&lt;dataset&gt;/&lt;version&gt;/             validation.json, report.html, schema.json, profile.json
 * datasets/&lt;dataset&gt;/rejected/&lt;id&gt;/           validation.json of an upload refused before it was read
 * models/&lt;model&gt;/runs/&lt;run&gt;/&lt;candidate&gt;/    candidate.json, model.tribuo, signature.json, metrics.json,
 *                                                provenance.json, written by training
 * models/&lt;model&gt;/&lt;version&gt;/                 model.tribuo, signature.json, metrics.json, model-card.json,
 *                                                report.html
 * capture/&lt;model&gt;/dt=YYYY-MM-DD/hour=HH/&lt;time&gt;-&lt;writer&gt;-&lt;seq&gt;.jsonl.gz   batches of captured requests
 * feedback/&lt;model&gt;/dt=YYYY-MM-DD/hour=HH/&lt;time&gt;-&lt;request&gt;.jsonl          ground-truth labels as received
 * monitoring/&lt;model&gt;/&lt;check&gt;/                drift.json, drift.html
 * batch/&lt;model&gt;/&lt;job&gt;.csv                  batch scoring inputs (the batch trigger)
 * batch/&lt;model&gt;/&lt;job&gt;/                     parts.json, out/parts/NNNNN.rows|.json, out/scored.csv,
 *                                                out/summary.json, out/map/ (the map run's results)
 * </pre>
 */
public final class Layout {

    /** Prefix that triggers ingestion. */
    public static final String INCOMING = "incoming/";

    private Layout() {
    }

    /** An accepted upload key: {@code incoming/<dataset>/<file>.csv}. */
    public record Upload(String dataset, String file) {
    }

    /**
     * Parses an (already URL-decoded) upload key.
     *
     * @return the upload, or empty with no reason when the key is not an upload at all
     * @throws IllegalArgumentException when the key is under {@code incoming/} but malformed or hostile
     */
    public static Optional<Upload> parseUpload(String key) {
        if (key == null || !key.startsWith(INCOMING)) {
            return Optional.empty();
        }
        String rest = key.substring(INCOMING.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("upload key " + key + " must be incoming/<dataset>/<file>.csv");
        }
        String dataset = rest.substring(0, slash);
        String file = rest.substring(slash + 1);
        Names.require("dataset", dataset);
        if (file.isEmpty() || file.contains("/") || file.contains("..") || file.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("upload key " + key + " must name one file directly under incoming/" + dataset + "/");
        }
        if (!file.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            throw new IllegalArgumentException("upload key " + key + " is not a .csv file");
        }
        return Optional.of(new Upload(dataset, file));
    }

    /**
     * The folder an upload key names under {@code incoming/} (the dataset, when the name is valid), or {@code "-"}
     * for a key directly under it: what an upload's outcome is filed under, whatever the key looks like.
     */
    public static String uploadFolder(String key) {
        String rest = key.startsWith(INCOMING) ? key.substring(INCOMING.length()) : key;
        int slash = rest.indexOf('/');
        return slash <= 0 ? "-" : rest.substring(0, slash);
    }

    public static String uploadKey(String dataset, String file) {
        return INCOMING + Names.require("dataset", dataset) + "/" + file;
    }

    public static String schema(String dataset) {
        return "schemas/" + dataset + "/schema.json";
    }

    /** A dataset's pipeline settings (optional; defaults apply when absent). */
    public static String config(String dataset) {
        return "schemas/" + dataset + "/config.json";
    }

    public static String datasetPrefix(String dataset, String version) {
        return "datasets/" + dataset + "/" + version + "/";
    }

    /** The validation report of a dataset version. */
    public static String validationReport(String dataset, String version) {
        return datasetPrefix(dataset, version) + "validation.json";
    }

    /** The validation report of a dataset version for people: one self-contained HTML page. */
    public static String reportHtml(String dataset, String version) {
        return datasetPrefix(dataset, version) + "report.html";
    }

    /** The report of an upload refused before it was read (its version, a hash of its content, is unknown). */
    public static String rejectedReport(String dataset, String id) {
        return "datasets/" + dataset + "/rejected/" + id + "/validation.json";
    }

    /** The schema a dataset version was validated against (pinned: later schema edits do not change it). */
    public static String validatedSchema(String dataset, String version) {
        return datasetPrefix(dataset, version) + "schema.json";
    }

    /** The profile of a dataset version: the training baseline of drift checks. */
    public static String profile(String dataset, String version) {
        return datasetPrefix(dataset, version) + "profile.json";
    }

    /** Everything a run's training wrote: one folder per candidate. */
    public static String runPrefix(String model, String runId) {
        return "models/" + model + "/runs/" + runId + "/";
    }

    public static String candidatePrefix(String model, String runId, int candidateIndex) {
        return runPrefix(model, runId) + candidateIndex + "/";
    }

    /** The experiment-tracking record of one candidate (params, metrics, fit time, artifact sha256). */
    public static String candidateRecord(String model, String runId, int candidateIndex) {
        return candidatePrefix(model, runId, candidateIndex) + "candidate.json";
    }

    public static String modelPrefix(String model, int version) {
        return "models/" + model + "/" + version + "/";
    }

    public static String capturePrefix(String model) {
        return "capture/" + model + "/";
    }

    /**
     * One batch of captured requests (gzip'd JSON Lines), keyed by the time it was written: {@code
     * capture/<model>/dt=YYYY-MM-DD/hour=HH/<yyyyMMddTHHmmssSSSZ>-<writer>-<seq>.jsonl.gz}. Keys sort in time
     * order, so a drift check chooses its window from keys alone ({@link #timedStartAfter}, {@link #keyTime}),
     * and each batch belongs to exactly one window.
     *
     * @param writer the writing container's id ({@code [a-z0-9]+})
     * @param seq    the writer's batch number
     */
    public static String captureBatchKey(String model, Instant writtenAt, String writer, long seq) {
        return timed(capturePrefix(model), writtenAt) + "-" + writer + "-" + String.format(java.util.Locale.ROOT,
                "%06d", seq) + ".jsonl.gz";
    }

    public static String feedbackPrefix(String model) {
        return "feedback/" + model + "/";
    }

    /**
     * Ground-truth labels received in one feedback request, keyed by when they were received: {@code
     * feedback/<model>/dt=YYYY-MM-DD/hour=HH/<yyyyMMddTHHmmssSSSZ>-<request>.jsonl}.
     */
    public static String feedbackKey(String model, Instant receivedAt, String requestId) {
        return timed(feedbackPrefix(model), receivedAt) + "-" + requestId + ".jsonl";
    }

    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    /** {@code <prefix>dt=YYYY-MM-DD/hour=HH/<time>}, the time to the millisecond. */
    private static String timed(String prefix, Instant at) {
        return prefix + "dt=" + at.atZone(ZoneOffset.UTC).toLocalDate() + "/hour=" + HOUR.format(at) + "/"
                + KEY_TIME.format(at);
    }

    /**
     * The {@code startAfter} of a listing under {@code prefix} ({@link #capturePrefix} or {@link
     * #feedbackPrefix}) that skips every key written at or before {@code exclusiveStart}: the listing then
     * starts inside the window, wherever history begins.
     */
    public static String timedStartAfter(String prefix, Instant exclusiveStart) {
        // '~' sorts after '-', so keys of that very millisecond are skipped too.
        return timed(prefix, exclusiveStart.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) + "~";
    }

    /** The time a capture batch or feedback key was written at; empty for a key of another shape. */
    public static Optional<Instant> keyTime(String key) {
        int slash = key.lastIndexOf('/');
        int dash = key.indexOf('-', slash + 1);
        if (slash < 0 || dash < 0 || !key.substring(0, slash).contains("/hour=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(KEY_TIME.parse(key.substring(slash + 1, dash))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static String monitoringPrefix(String model, String checkId) {
        return "monitoring/" + model + "/" + checkId + "/";
    }

    /** A drift check's report. */
    public static String driftReport(String model, String checkId) {
        return monitoringPrefix(model, checkId) + "drift.json";
    }

    /** A drift check's report for people: one self-contained HTML page. */
    public static String driftReportHtml(String model, String checkId) {
        return monitoringPrefix(model, checkId) + "drift.html";
    }

    /**
     * The upload a retraining writes: the latest accepted dataset version plus the labelled captured rows,
     * ingested like any upload ({@code incoming/<dataset>/retrain-<check>.csv}).
     */
    public static String retrainingUpload(String dataset, String checkId) {
        return uploadKey(dataset, "retrain-" + checkId + ".csv");
    }
    /** Prefix of batch scoring: inputs {@code batch/<model>/<job>.csv}, outputs under {@code batch/<model>/<job>/}. */
    public static final String BATCH = "batch/";

    /** A batch input key: {@code batch/<model>/<job>.csv}. */
    public record BatchInput(String model, String job) {
    }

    /**
     * Parses a batch input key; anything else under {@code batch/} (a job's outputs) is empty, so the trigger that
     * sees every {@code .csv} written there starts jobs only for inputs.
     */
    public static Optional<BatchInput> parseBatchInput(String key) {
        if (key == null || !key.startsWith(BATCH) || !key.endsWith(".csv")) {
            return Optional.empty();
        }
        String[] parts = key.substring(BATCH.length(), key.length() - ".csv".length()).split("/", -1);
        if (parts.length != 2 || !Names.isValid(parts[0]) || !Names.isValid(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(new BatchInput(parts[0], parts[1]));
    }

    /** Where a batch job's input is uploaded. */
    public static String batchInput(String model, String job) {
        return BATCH + Names.require("model", model) + "/" + Names.require("job", job) + ".csv";
    }

    /** Everything a batch job writes. */
    public static String batchPrefix(String model, String job) {
        return BATCH + Names.require("model", model) + "/" + Names.require("job", job) + "/";
    }

    /** The plan of a job's parts: the JSON array its Distributed Map reads. */
    public static String batchParts(String model, String job) {
        return batchPrefix(model, job) + "parts.json";
    }

    /** One part's scored rows (no header; not {@code .csv}, so the batch trigger does not see it). */
    public static String batchPartRows(String model, String job, int part) {
        return batchPrefix(model, job) + "out/parts/" + String.format(Locale.ROOT, "%05d", part) + ".rows";
    }

    /** One part's counts and timing. */
    public static String batchPartSummary(String model, String job, int part) {
        return batchPrefix(model, job) + "out/parts/" + String.format(Locale.ROOT, "%05d", part) + ".json";
    }

    /** The joined output: the input's columns, the prediction, the scores and the error, in input order. */
    public static String batchOutput(String model, String job) {
        return batchPrefix(model, job) + "out/scored.csv";
    }

    /** The job's summary. */
    public static String batchSummary(String model, String job) {
        return batchPrefix(model, job) + "out/summary.json";
    }

    /** Where the Distributed Map's ResultWriter puts its manifest.json and result files. */
    public static String batchResults(String model, String job) {
        return batchPrefix(model, job) + "out/map";
    }
}
