package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.domain.Run;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvStream;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.local.template.StackModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./mlops upload FILE --dataset NAME}: puts a CSV where the pipeline's trigger listens. */
@Command(name = "upload",
        description = {"Upload a CSV to incoming/NAME/ (the pipeline's trigger).",
                "With --wait (or when no stack is running), follow the pipeline to its end.",
                "Exit code 1 unless the run SUCCEEDED, ended NOT_BLESSED, CHAMPION_MOVED or PENDING_APPROVAL."})
final class UploadCommand extends BaseCommand {

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, converter = NameConverter.Dataset.class,
            description = "The dataset (and by default the model) the data is for.")
    String dataset;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column (default: label).")
    String label;

    @Option(names = "--model", paramLabel = "NAME", converter = NameConverter.Model.class,
            description = "The model to train (default: the dataset name).")
    String model;

    @Option(names = "--wait", description = "Wait until the pipeline has ended and print how.")
    boolean wait;

    @Override
    public Integer call() throws Exception {
        requireFile(file);
        try {
            // Same checks as ingestion, so a bad file name is a usage error before anything starts.
            Layout.parseUpload(Layout.uploadKey(dataset, file.getFileName().toString()));
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        long limit = maxUploadBytes(root());
        if (Files.size(file) > limit) {
            // The function would refuse it unread; say so before sending it anywhere.
            throw usageError(file + " is " + Files.size(file) + " bytes; the ingest function reads at most " + limit
                    + " (MAX_UPLOAD_BYTES in template.yaml, see README \"Limits\"): split it into parts");
        }
        try (Session session = openSession()) {
            // A stack started for this command alone stops when it returns: wait for the run.
            Map<String, Object> out = upload(session, file, dataset, label, model, wait || session.owned());
            boolean ok = "UPLOADED".equals(out.get("status")) || pipelineEnded(out);
            return report(out, summary(out), ok ? MlopsCommand.OK : MlopsCommand.FAILED);
        }
    }

    /**
     * The run ended as designed: the version was promoted, or registered and kept out of production
     * (not blessed, or production moved to another version meanwhile).
     */
    static boolean pipelineEnded(Map<String, Object> upload) {
        Object status = String.valueOf(upload.get("run_status"));
        return "SUCCEEDED".equals(status) || "NOT_BLESSED".equals(status) || "CHAMPION_MOVED".equals(status)
                || "PENDING_APPROVAL".equals(status);
    }

    /** The ingest function's upload limit, as template.yaml sets it. */
    static long maxUploadBytes(Path root) throws java.io.IOException {
        String value = StackModel.load(root.resolve("template.yaml")).function("IngestValidationFunction")
                .environment().get("MAX_UPLOAD_BYTES");
        return value == null ? IngestionService.DEFAULT_MAX_UPLOAD_BYTES : Long.parseLong(value.trim());
    }

    /** SHA-256 of a file, streamed (the dataset version the pipeline will compute). */
    static String sha256(Path file) throws java.io.IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return CsvStream.hash(in).sha256();
        }
    }

    /** Uploads {@code file} and, with {@code wait}, follows the pipeline to its end; the result as a document. */
    static Map<String, Object> upload(Session session, Path file, String dataset, String label, String model,
                                      boolean wait) throws Exception {
        String version = sha256(file);
        String key = Layout.uploadKey(dataset, file.getFileName().toString());
        Layout.parseUpload(key); // same checks as ingestion, before anything is sent
        Map<String, String> metadata = new LinkedHashMap<>();
        if (label != null) {
            metadata.put("label", label);
        }
        if (model != null) {
            metadata.put("model", model);
        }
        session.clients().s3().putObject(b -> b.bucket(session.bucket()).key(key).metadata(metadata).contentType("text/csv"),
                RequestBody.fromFile(file));
        Console.progress("uploaded " + file + " to s3://" + session.bucket() + "/" + key);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dataset);
        out.put("dataset_version", version);
        out.put("key", key);
        if (!wait) {
            out.put("status", "UPLOADED");
            return out;
        }
        PipelineWatch watch = new PipelineWatch(session.datasets(), session.runs());
        PipelineWatch.Outcome outcome = watch.await(dataset, version, Duration.ofMinutes(15));
        out.put("status", outcome.dataset().status().name());
        if (outcome.dataset().reportHtmlKey() != null) {
            out.put("report_html", "s3://" + session.bucket() + "/" + outcome.dataset().reportHtmlKey());
        }
        if (outcome.dataset().warnings() != null && outcome.dataset().warnings() > 0) {
            out.put("warnings", outcome.dataset().warnings());
        }
        if (outcome.run() == null) {
            out.put("validation_report", "s3://" + session.bucket() + "/" + outcome.dataset().reportKey());
            JsonNode report = Json.MAPPER.readTree(session.clients().s3()
                    .getObjectAsBytes(b -> b.bucket(session.bucket()).key(outcome.dataset().reportKey())).asByteArray());
            out.put("anomalies", report.path("anomalies"));
            out.put("run_status", "NOT_STARTED");
            return out;
        }
        Run run = outcome.run();
        out.put("run_id", run.runId());
        out.put("run_status", run.status().name());
        out.put("model", run.model());
        out.put("version", run.version());
        out.put("production_version", run.productionVersion());
        if (run.reason() != null) {
            out.put("reason", run.reason());
        }
        if (run.error() != null) {
            out.put("error", run.error());
            out.put("cause", run.cause());
        }
        return out;
    }

    /** One or two lines for people: what was uploaded, or how the run ended. */
    static String summary(Map<String, Object> out) {
        Object runStatus = out.get("run_status");
        if (runStatus == null) {
            return "uploaded " + out.get("key") + " (dataset version " + out.get("dataset_version") + ")";
        }
        if ("NOT_STARTED".equals(runStatus)) {
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
        return "run " + out.get("run_id") + ": " + runStatus + "; model " + out.get("model") + " v" + out.get("version")
                + "; production is v" + out.get("production_version")
                + (out.containsKey("reason") ? " (" + out.get("reason") + ")" : "")
                + (out.containsKey("error") ? "\nerror: " + out.get("error") + ": " + out.get("cause") : "")
                + (out.containsKey("report_html") ? "\nvalidation report" + (out.containsKey("warnings")
                ? " (" + out.get("warnings") + " warning(s))" : "") + ": " + out.get("report_html") : "");
    }
}
