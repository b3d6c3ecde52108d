package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.ports.ObjectStore;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * {@code ./mlops demo}: the whole lifecycle on the bundled iris dataset, end to end, loop included: train and
 * serve, normal traffic, then a real shift of the same rows, ground truth for all of it, the drift check, the
 * retraining it starts (with its cause) and the blessing verdict on the retrained model.
 */
@Command(name = "demo",
        description = {"Run the whole lifecycle on the bundled iris dataset, loop included.",
                "Uploads it, waits for the model, sends the dataset's rows as traffic, then the same rows with",
                "grown petals, sends their true labels, runs the drift check and follows the retraining it starts."})
final class DemoCommand extends BaseCommand {

    /** How the demo shifts the traffic: petals longer and wider than any iris in the data. */
    static final double PETAL_LENGTH_SHIFT = 2.5;
    static final double PETAL_WIDTH_SHIFT = 1.0;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path data = root().resolve("data/iris.csv");
        try (Session session = openSession()) {
            long ready = System.nanoTime();
            Map<String, Object> upload = UploadCommand.upload(session, data, "iris", null, null, true);
            if (!UploadCommand.pipelineEnded(upload)) {
                throw new IllegalStateException("the pipeline did not succeed: " + UploadCommand.summary(upload));
            }
            long trained = System.nanoTime();
            String model = (String) upload.get("model");

            // The rows of the dataset, without their labels, are the traffic; their labels the ground truth.
            CsvTable table;
            try (var in = Files.newInputStream(data)) {
                table = CsvParser.parse(in, CsvLimits.DEFAULT);
            }
            List<String> header = table.header();
            int labelAt = header.indexOf("label");
            List<Map<String, Object>> normal = new ArrayList<>();
            List<Map<String, Object>> shifted = new ArrayList<>();
            List<String> truth = new ArrayList<>();
            for (List<String> row : table.rows()) {
                Map<String, Object> instance = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    if (i != labelAt) {
                        instance.put(header.get(i), Double.parseDouble(row.get(i)));
                    }
                }
                normal.add(instance);
                Map<String, Object> grown = new LinkedHashMap<>(instance);
                grown.computeIfPresent("petal_length_cm", (k, v) -> round((Double) v + PETAL_LENGTH_SHIFT));
                grown.computeIfPresent("petal_width_cm", (k, v) -> round((Double) v + PETAL_WIDTH_SHIFT));
                shifted.add(grown);
                truth.add(row.get(labelAt));
            }
            Console.progress("normal traffic: " + normal.size() + " rows of iris.csv");
            HttpResponse<String> first = PredictCommand.predict(session, model, Json.MAPPER.valueToTree(normal));
            Console.progress("shifted traffic: the same rows, petals " + PETAL_LENGTH_SHIFT + " cm longer and "
                    + PETAL_WIDTH_SHIFT + " cm wider");
            HttpResponse<String> second = PredictCommand.predict(session, model, Json.MAPPER.valueToTree(shifted));
            for (HttpResponse<String> r : List.of(first, second)) {
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("prediction failed: HTTP " + r.statusCode() + " " + r.body());
                }
            }
            JsonNode normalAnswer = Json.MAPPER.readTree(first.body());
            JsonNode shiftedAnswer = Json.MAPPER.readTree(second.body());
            String normalId = normalAnswer.path("request_id").asText();
            String shiftedId = shiftedAnswer.path("request_id").asText();

            List<Map<String, Object>> labels = new ArrayList<>();
            for (String id : List.of(normalId, shiftedId)) {
                for (int i = 0; i < truth.size(); i++) {
                    labels.add(Map.of("request_id", id, "instance", i, "label", truth.get(i)));
                }
            }
            HttpResponse<String> feedback = session.post(URI.create(session.info().apiUrl() + "/v1/models/"
                    + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":feedback"),
                    Json.MAPPER.writeValueAsString(Map.of("feedback", labels)));
            if (feedback.statusCode() != 200) {
                throw new IllegalStateException("feedback refused: HTTP " + feedback.statusCode() + " " + feedback.body());
            }
            Console.progress("ground truth: " + labels.size() + " labels sent to :feedback");

            Console.progress("waiting for the capture batches to be written and settle");
            awaitCaptured(session, model, Set.of(normalId, shiftedId));
            long traffic = System.nanoTime();
            Session.Invocation drift = DriftCommand.fireDriftSchedule(session, model);
            if (drift.failed()) {
                throw new IllegalStateException("drift check failed: " + drift.payload());
            }
            JsonNode check = Json.MAPPER.readTree(drift.payload()).path("checks").path(0);
            Console.progress(DriftCommand.summary(check, session.bucket()));
            var nextCheck = DriftCommand.nextScheduledCheck(session);
            nextCheck.ifPresent(n -> Console.progress("the template's " + n.schedule().name() + " ("
                    + n.schedule().expression() + ") runs the next check by itself at " + n.at()
                    + " while the stack runs (`./mlops local up` keeps it running; --schedule-speedup N brings it N times sooner)"));
            JsonNode report = Json.MAPPER.readTree(session.store().find(check.path("report_key").asText())
                    .orElseThrow().bytes());

            Map<String, Object> retraining = new LinkedHashMap<>();
            JsonNode r = check.path("retraining");
            if (!r.isMissingNode() && !r.isNull()) {
                retraining.put("status", r.path("status").asText());
                retraining.put("reason", r.path("reason").asText());
                if (r.hasNonNull("run_id")) {
                    retraining.put("run_id", r.path("run_id").asText());
                }
                if ("REQUESTED".equals(r.path("status").asText())) {
                    Console.progress("retraining: ingest validates " + r.path("upload").asText()
                            + ", then the pipeline trains and judges the new model");
                    // The check wrote this upload once (its key names the check): its one version is the latest.
                    String retrainUpload = r.path("upload").asText();
                    String versionId = session.store().head(retrainUpload, null).map(ObjectStore.ObjectInfo::versionId)
                            .orElse(null);
                    PipelineWatch.Outcome outcome = PipelineWatch.of(session).await(retrainUpload, versionId, model, Duration.ofMinutes(15));
                    if (outcome.run() != null) {
                        retraining.put("cause", outcome.run().request().cause());
                        retraining.put("run_status", outcome.run().status().name());
                        if (outcome.run().version() != null) {
                            ModelVersion v = session.registry().find(model, outcome.run().version()).orElseThrow();
                            retraining.put("version", v.version());
                            retraining.put("blessing", v.blessing().reason());
                        }
                        retraining.put("production_version", outcome.run().productionVersion());
                    } else {
                        retraining.put("run_status", "NOT_STARTED: " + outcome.upload().status() + ": "
                                + outcome.upload().reason());
                    }
                }
            }

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", upload.get("dataset"));
            out.put("dataset_version", upload.get("dataset_version"));
            out.put("run_id", upload.get("run_id"));
            out.put("run_status", upload.get("run_status"));
            out.put("model", model);
            out.put("production_version", upload.get("production_version"));
            out.put("instance", normal.get(0));
            out.put("true_label", truth.get(0));
            out.put("prediction", normalAnswer.path("predictions").path(0));
            out.put("traffic", Map.of("normal_request_id", normalId, "shifted_request_id", shiftedId,
                    "rows", normal.size() + shifted.size(), "labels", labels.size()));
            out.put("drift_report", "s3://" + session.bucket() + "/" + check.path("report_key").asText());
            out.put("drift_report_html", "s3://" + session.bucket() + "/" + check.path("report_html_key").asText());
            out.put("drift_detected", check.path("drift_detected").asBoolean());
            out.put("verdict", check.path("verdict").asText());
            out.put("drifted_features", check.path("drifted_features"));
            nextCheck.ifPresent(n -> out.put("next_scheduled_check", Map.of("schedule", n.schedule().name(),
                    "expression", n.schedule().expression(), "at", n.at().toString())));
            Map<String, Object> quality = new LinkedHashMap<>();
            quality.put("verdict", report.path("quality").path("verdict").asText());
            quality.put("labelled", report.path("quality").path("labelled").asLong());
            quality.put("accuracy", report.path("quality").path("accuracy"));
            quality.put("test_accuracy", report.path("quality").path("test_accuracy"));
            out.put("live_quality", quality);
            out.put("retraining", retraining);
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("environment_ms", (ready - t0) / 1_000_000);
            timings.put("pipeline_ms", (trained - ready) / 1_000_000);
            timings.put("traffic_and_capture_ms", (traffic - trained) / 1_000_000);
            timings.put("check_and_retraining_ms", (System.nanoTime() - traffic) / 1_000_000);
            timings.put("total_ms", (System.nanoTime() - t0) / 1_000_000);
            if (session.owned()) {
                timings.put("emulator_start_ms", session.info().emulatorStartMillis());
            }
            out.put("timings", timings);
            return report(out, "demo finished:\n" + pretty(out), MlopsCommand.OK);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * Waits until the capture batches holding these requests are written (the inference function writes them in
     * the background, after at most CAPTURE_FLUSH_SECONDS) and the drift check's settle time has passed them.
     */
    static void awaitCaptured(Session session, String model, Set<String> requestIds) throws Exception {
        long settle = Long.parseLong(session.model().function("DriftCheckFunction").environment()
                .getOrDefault("CAPTURE_SETTLE_SECONDS", "5"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        ObjectStore store = session.store();
        Set<String> read = new HashSet<>();
        Set<String> missing = new HashSet<>(requestIds);
        Instant newest = Instant.EPOCH;
        while (!missing.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("captures of " + missing + " were not written within 2 minutes");
            }
            for (ObjectStore.ObjectInfo o : store.list(Layout.capturePrefix(model), null)) {
                if (!read.add(o.key())) {
                    continue;
                }
                String text = gunzip(store, o.key());
                for (java.util.Iterator<String> it = missing.iterator(); it.hasNext(); ) {
                    if (text.contains("\"request_id\":\"" + it.next() + "\"")) {
                        it.remove();
                        Instant t = Layout.keyTime(o.key()).orElse(Instant.EPOCH);
                        newest = t.isAfter(newest) ? t : newest;
                    }
                }
            }
            if (!missing.isEmpty()) {
                Thread.sleep(250);
            }
        }
        Instant ready = newest.plusSeconds(settle).plusMillis(500);
        long wait = Duration.between(Instant.now(), ready).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static String gunzip(ObjectStore store, String key) throws IOException {
        Optional<InputStream> in = store.open(key, null);
        if (in.isEmpty()) {
            return "";
        }
        try (InputStream gz = new GZIPInputStream(in.get())) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
