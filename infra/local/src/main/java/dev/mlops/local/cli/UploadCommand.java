package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.S3MultipartPut;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvStream;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.local.template.StackModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@code ./mlops upload FILE --dataset NAME}: puts a CSV where the pipeline's trigger listens. */
@Command(name = "upload",
        description = {"Upload a CSV to incoming/NAME/ (the pipeline's trigger).",
                "With --wait (or when no stack is running), print the upload's outcome as soon as there is one",
                "(VALID, INVALID, REJECTED, DUPLICATE, FAILED_DELIVERY) and follow a run it started to its end.",
                "Exit code 1 unless the run SUCCEEDED, ended NOT_BLESSED, CHAMPION_MOVED, PENDING_APPROVAL or",
                "ROLLOUT_STARTED",
                "(for a DUPLICATE: the earlier run of the same bytes, for the model asked for)."})
final class UploadCommand extends BaseCommand {

    /** Parts sent at once: two keep S3Mock's writes and the sending overlapping on a small machine. */
    private static final int PARTS_AT_ONCE = 2;
    /**
     * How long {@code CompleteMultipartUpload} may take to answer: S3Mock reads every part again and copies it into
     * the object before it does (8.5 minutes for 10 GB on the loaded 2-core machine of BENCHMARKS.md), and a
     * timed-out attempt retried finds the upload gone.
     */
    private static final Duration COMPLETE_TIMEOUT = Duration.ofMinutes(30);

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, converter = NameConverter.Dataset.class,
            description = "The dataset (and by default the model) the data is for.")
    String dataset;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column (default: label).")
    String label;

    @Option(names = "--task", paramLabel = "TASK", description = "classification or regression (object metadata"
            + " \"task\"; default: the dataset's config.json, else inferred from the first upload's label).")
    String task;

    @Option(names = "--model", paramLabel = "NAME", converter = NameConverter.Model.class,
            description = "The model to train (default: the dataset name).")
    String model;

    @Option(names = "--wait", description = "Wait until the pipeline has ended and print how.")
    boolean wait;

    @Option(names = "--part-size", paramLabel = "MIB", defaultValue = "256",
            description = "A file larger than this is sent as a multipart upload in parts of this many MiB"
                    + " (at least 5, S3's smallest part; default: ${DEFAULT-VALUE}).")
    int partMib;

    @Override
    public Integer call() throws Exception {
        requireFile(file);
        String key;
        try {
            // Same checks as ingestion, so a bad file name is a usage error before anything starts.
            key = Layout.uploadKey(dataset, file.getFileName().toString());
            Layout.parseUpload(key);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        String unheard = triggerRefusal(StackModel.load(root().resolve("template.yaml")), key);
        if (unheard != null) {
            throw usageError(unheard);
        }
        if (partMib * (1L << 20) < S3MultipartPut.MIN_PART_BYTES) {
            throw usageError("--part-size must be at least 5 (MiB, S3's smallest part), not " + partMib);
        }
        long limit = maxUploadBytes(root());
        if (Files.size(file) > limit) {
            // The function would refuse it unread; say so before sending it anywhere.
            throw usageError(file + " is " + Files.size(file) + " bytes; the ingest function reads at most " + limit
                    + " (MAX_UPLOAD_BYTES in template.yaml, see docs/validation.md \"Limits\"): split it into parts");
        }
        try (Session session = openSession()) {
            // A stack started for this command alone stops when it returns: wait for the run.
            Map<String, Object> out = upload(session, file, dataset, label, task, model, wait || session.owned(),
                    partMib * (1L << 20));
            boolean ok = "UPLOADED".equals(out.get("status")) || pipelineEnded(out);
            return report(out, summary(out), ok ? MlopsCommand.OK : MlopsCommand.FAILED);
        }
    }

    /**
     * Why the S3 trigger of template.yaml would never deliver {@code key} (its prefix and suffix filters are case
     * sensitive: {@code x.CSV} is not {@code .csv}), or null when it would.
     */
    static String triggerRefusal(StackModel stack, String key) {
        // The ingest trigger: the one on incoming/ (the batch trigger on batch/ is not for uploads).
        List<StackModel.S3Trigger> ingest = stack.s3Triggers().stream()
                .filter(t -> t.prefix().equals(Layout.INCOMING)).toList();
        if (ingest.stream().anyMatch(t -> t.matches(key))) {
            return null;
        }
        StringBuilder why = new StringBuilder(key + " would never reach the pipeline: its trigger (template.yaml) takes");
        ingest.forEach(t -> why.append(" keys under ").append(t.prefix()).append(" ending in ")
                .append(t.suffix()));
        return why.append(" (case matters): rename the file").toString();
    }

    /**
     * The upload's data was trained as asked and the run ended as designed: the version was promoted, or
     * registered and kept out of production (not blessed, production moved to another version meanwhile, waiting
     * for approval, or live as a rollout's challenger).
     */
    static boolean pipelineEnded(Map<String, Object> upload) {
        Object status = String.valueOf(upload.get("run_status"));
        boolean ended = "SUCCEEDED".equals(status) || "NOT_BLESSED".equals(status) || "CHAMPION_MOVED".equals(status)
                || "PENDING_APPROVAL".equals(status) || "ROLLOUT_STARTED".equals(status);
        return ended && !Boolean.TRUE.equals(upload.get("model_not_trained"));
    }

    /** The ingest function's upload limit, as template.yaml sets it. */
    static long maxUploadBytes(Path root) throws java.io.IOException {
        String value = StackModel.load(root.resolve("template.yaml")).function("IngestValidationFunction")
                .environment().get("MAX_UPLOAD_BYTES");
        return value == null ? IngestionService.DEFAULT_MAX_UPLOAD_BYTES : Long.parseLong(value.trim());
    }

    /** The largest upload the ingest function reads in one pass (template.yaml); larger ones are read in parts. */
    static long inlineValidationBytes(StackModel stack) {
        String value = stack.function("IngestValidationFunction").environment().get("INLINE_VALIDATION_BYTES");
        return value == null || value.isBlank() ? Long.MAX_VALUE : Long.parseLong(value.trim());
    }

    /** SHA-256 of a file, streamed (the dataset version the pipeline will compute). */
    static String sha256(Path file) throws java.io.IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return CsvStream.hash(in).sha256();
        }
    }

    /**
     * Uploads {@code file} and, with {@code wait}, waits for the upload's outcome and follows a run it started to its
     * end; the result as a document.
     */
    static Map<String, Object> upload(Session session, Path file, String dataset, String label, String model,
                                      boolean wait) throws Exception {
        return upload(session, file, dataset, label, null, model, wait, S3MultipartPut.DEFAULT_PART_BYTES);
    }

    /**
     * As above, naming the dataset's task (null: left to its config or to inference), a file larger than
     * {@code partBytes} sent as a multipart upload in parts of that size.
     */
    static Map<String, Object> upload(Session session, Path file, String dataset, String label, String task,
                                      String model, boolean wait, long partBytes) throws Exception {
        // A file validated in parts gets its version from its parts' hashes (docs/validation.md "Big uploads"):
        // known once it is validated, not hashed here.
        String version = Files.size(file) > inlineValidationBytes(session.model()) ? null : sha256(file);
        String key = Layout.uploadKey(dataset, file.getFileName().toString());
        Layout.parseUpload(key); // same checks as ingestion, before anything is sent
        Map<String, String> metadata = new LinkedHashMap<>();
        if (label != null) {
            metadata.put("label", label);
        }
        if (task != null) {
            metadata.put("task", task);
        }
        if (model != null) {
            metadata.put("model", model);
        }
        String versionId = put(session, file, key, metadata, partBytes);
        Console.progress("uploaded " + file + " to s3://" + session.bucket() + "/" + key + " (version " + versionId + ")");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dataset);
        if (version != null) {
            out.put("dataset_version", version);
        }
        out.put("key", key);
        out.put("version_id", versionId);
        if (!wait) {
            out.put("status", "UPLOADED");
            return out;
        }
        String asked = model != null ? model : dataset;
        PipelineWatch watch = PipelineWatch.of(session);
        PipelineWatch.Outcome outcome = watch.await(key, versionId, asked, Duration.ofMinutes(15));
        UploadOutcome upload = outcome.upload();
        out.put("status", upload.status().name());
        if (upload.datasetVersion() != null) {
            out.put("dataset_version", upload.datasetVersion());
        }
        if (upload.reason() != null) {
            out.put("reason", upload.reason());
        }
        if (upload.attempts() > 0) {
            out.put("failed_attempts", upload.attempts());
        }
        DatasetVersion dv = outcome.dataset();
        if (dv != null && dv.reportHtmlKey() != null) {
            out.put("report_html", "s3://" + session.bucket() + "/" + dv.reportHtmlKey());
        }
        if (dv != null && dv.warnings() != null && dv.warnings() > 0) {
            out.put("warnings", dv.warnings());
        }
        if (upload.reportKey() != null) {
            out.put("validation_report", "s3://" + session.bucket() + "/" + upload.reportKey());
        }
        if (upload.status() == UploadStatus.INVALID && upload.reportKey() != null) {
            JsonNode report = Json.MAPPER.readTree(session.clients().s3()
                    .getObjectAsBytes(b -> b.bucket(session.bucket()).key(upload.reportKey())).asByteArray());
            out.put("anomalies", report.path("anomalies"));
        }
        if (outcome.run() == null) {
            out.put("run_status", "NOT_STARTED");
            return out;
        }
        Run run = outcome.run();
        out.put("run_id", run.runId());
        out.put("run_status", run.status().name());
        out.put("model", run.model());
        out.put("version", run.version());
        out.put("production_version", run.productionVersion());
        if (!run.model().equals(asked)) {
            out.put("model_not_trained", true);
        }
        if (run.reason() != null) {
            out.put("run_reason", run.reason());
        }
        if (run.error() != null) {
            out.put("error", run.error());
            out.put("cause", run.cause());
        }
        return out;
    }

    /**
     * Sends FILE to KEY: one {@code PutObject} up to {@code partBytes}, else an S3 multipart upload in parts of that
     * size ({@link S3MultipartPut}); a large one shows its progress. Shared with {@code batch score}. Returns the new
     * object's version id.
     */
    static String put(Session session, Path file, String key, Map<String, String> metadata, long partBytes)
            throws java.io.IOException {
        long size = Files.size(file);
        if (size <= partBytes) {
            if (size < Progress.BYTES_WORTH_SHOWING) {
                return session.clients().s3().putObject(b -> b.bucket(session.bucket()).key(key).metadata(metadata)
                        .contentType("text/csv"), RequestBody.fromFile(file)).versionId();
            }
            try (Progress progress = Progress.bytes("upload " + file.getFileName(), size)) {
                RequestBody body = RequestBody.fromContentProvider(() -> {
                    try {
                        return progress.counting(Files.newInputStream(file));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, size, "text/csv");
                return session.clients().s3().putObject(b -> b.bucket(session.bucket()).key(key).metadata(metadata)
                        .contentType("text/csv"), body).versionId();
            }
        }
        try (S3Client s3 = session.clients().s3ForUploads(COMPLETE_TIMEOUT);
             Progress progress = Progress.bytes("upload " + file.getFileName(), size)) {
            S3MultipartPut multipart = new S3MultipartPut(s3, session.bucket(), partBytes, PARTS_AT_ONCE);
            AtomicLong sent = new AtomicLong();
            return multipart.put(key, file, metadata, "text/csv", bytes -> progress.stepTo(sent.addAndGet(bytes)));
        }
    }

    /** One or two lines for people: what was uploaded, the upload's outcome, or how the run ended. */
    static String summary(Map<String, Object> out) {
        Object status = out.get("status");
        Object runStatus = out.get("run_status");
        if (runStatus == null) {
            return "uploaded " + out.get("key") + (out.get("dataset_version") == null
                    ? " (validated in parts: its dataset version comes with its outcome)"
                    : " (dataset version " + out.get("dataset_version") + ")");
        }
        if ("INVALID".equals(status)) {
            StringBuilder s = new StringBuilder("dataset rejected by validation:");
            if (out.get("anomalies") instanceof JsonNode anomalies) {
                for (JsonNode a : anomalies) {
                    s.append("\n  ").append(a.path("severity").asText()).append(' ').append(a.path("kind").asText())
                            .append(a.hasNonNull("column") ? " [" + a.path("column").asText() + "]" : "").append(": ")
                            .append(a.path("message").asText());
                }
            }
            s.append("\nreport: ").append(out.get("validation_report"));
            if (out.containsKey("report_html")) {
                s.append("\nreport page: ").append(out.get("report_html"));
            }
            return s.toString();
        }
        if ("NOT_STARTED".equals(runStatus)) {
            // REJECTED, FAILED_DELIVERY, or a DUPLICATE whose run is gone
            return status + ": " + out.get("key") + ": " + out.get("reason")
                    + (out.containsKey("validation_report") ? "\nreport: " + out.get("validation_report") : "");
        }
        String run = "run " + out.get("run_id") + ": " + runStatus + "; model " + out.get("model")
                + (out.get("version") == null ? "" : " v" + out.get("version"))
                + (out.get("production_version") == null ? "" : "; production is v" + out.get("production_version"))
                + (out.containsKey("run_reason") ? " (" + out.get("run_reason") + ")" : "")
                + (out.containsKey("error") ? "\nerror: " + out.get("error") + ": " + out.get("cause") : "");
        if ("DUPLICATE".equals(status)) {
            return "DUPLICATE: " + out.get("reason") + "\n" + run;
        }
        return run + (out.containsKey("report_html") ? "\nvalidation report" + (out.containsKey("warnings")
                ? " (" + out.get("warnings") + " warning(s))" : "") + ": " + out.get("report_html") : "");
    }
}
