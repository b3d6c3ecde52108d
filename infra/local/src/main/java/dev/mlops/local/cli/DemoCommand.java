package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import picocli.CommandLine.Command;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./mlops demo}: the whole lifecycle on the bundled iris dataset, end to end. */
@Command(name = "demo",
        description = {"Run the whole lifecycle on the bundled iris dataset.",
                "Uploads it, waits for the model, predicts one real row and runs a drift check."})
final class DemoCommand extends BaseCommand {

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

            // One real row of the dataset, without its label, is the request.
            CsvTable table;
            try (var in = Files.newInputStream(data)) {
                table = CsvParser.parse(in, CsvLimits.DEFAULT);
            }
            List<String> header = table.header();
            List<String> row = table.rows().get(0);
            Map<String, Object> instance = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (!header.get(i).equals("label")) {
                    instance.put(header.get(i), Double.parseDouble(row.get(i)));
                }
            }
            String model = (String) upload.get("model");
            HttpResponse<String> prediction = PredictCommand.predict(session, model,
                    Json.MAPPER.valueToTree(List.of(instance)));
            if (prediction.statusCode() != 200) {
                throw new IllegalStateException("prediction failed: HTTP " + prediction.statusCode() + " " + prediction.body());
            }
            Session.Invocation drift = DriftCommand.fireDriftSchedule(session, model);
            if (drift.failed()) {
                throw new IllegalStateException("drift check failed: " + drift.payload());
            }
            JsonNode check = Json.MAPPER.readTree(drift.payload()).path("checks").path(0);

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", upload.get("dataset"));
            out.put("dataset_version", upload.get("dataset_version"));
            out.put("run_id", upload.get("run_id"));
            out.put("run_status", upload.get("run_status"));
            out.put("model", model);
            out.put("production_version", upload.get("production_version"));
            out.put("instance", instance);
            out.put("true_label", row.get(header.indexOf("label")));
            out.put("prediction", Json.MAPPER.readTree(prediction.body()));
            out.put("drift_report", "s3://" + session.bucket() + "/" + check.path("report_key").asText());
            out.put("drift_detected", check.path("drift_detected").asBoolean());
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("environment_ms", (ready - t0) / 1_000_000);
            timings.put("pipeline_ms", (trained - ready) / 1_000_000);
            timings.put("total_ms", (System.nanoTime() - t0) / 1_000_000);
            if (session.owned()) {
                timings.put("emulator_start_ms", session.info().emulatorStartMillis());
            }
            out.put("timings", timings);
            return report(out, "demo finished:\n" + pretty(out), MlopsCommand.OK);
        }
    }
}
