package dev.mlops.local.cli;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.core.Json;
import dev.mlops.core.serving.Feedback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./mlops feedback MODEL --file labels.csv}: ground truth for served predictions, sent to the model API's
 * {@code :feedback} route in batches, so it is checked and stored exactly as a client's would be.
 */
@Command(name = "feedback",
        description = {"Send ground-truth labels for served predictions to /v1/models/MODEL:feedback.",
                "FILE is a CSV with the columns request_id and label (and optionally instance, the row of a",
                "multi-row request). Exit code 1 when the API refused a batch (nothing of that batch is stored)."})
final class FeedbackCommand extends BaseCommand {

    @Parameters(paramLabel = "MODEL", converter = NameConverter.Model.class, description = "The model.")
    String model;

    @Option(names = "--file", paramLabel = "labels.csv", required = true,
            description = "CSV with request_id,label[,instance].")
    Path file;

    @Override
    public Integer call() throws Exception {
        List<Map<String, Object>> labels = read(requireFile(file));
        try (Session session = openSession()) {
            URI uri = URI.create(session.info().apiUrl() + "/v1/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                    + ":feedback");
            long accepted = 0;
            for (int from = 0; from < labels.size(); from += Feedback.MAX_LABELS) {
                List<Map<String, Object>> batch = labels.subList(from, Math.min(labels.size(), from + Feedback.MAX_LABELS));
                HttpResponse<String> response = session.post(uri, Json.MAPPER.writeValueAsString(Map.of("feedback", batch)));
                if (response.statusCode() != 200) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("model", model);
                    out.put("accepted", accepted);
                    out.put("refused_from_row", from + 1);
                    out.put("status", response.statusCode());
                    out.put("response", parseOrText(response.body()));
                    return report(out, "accepted " + accepted + " label(s); the batch from data row " + (from + 1)
                            + " was refused (HTTP " + response.statusCode() + "): " + response.body(), MlopsCommand.FAILED);
                }
                accepted += Json.MAPPER.readTree(response.body()).path("accepted").asLong();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("accepted", accepted);
            return report(out, "accepted " + accepted + " label(s) for " + model
                    + "; the next drift check joins them with the captured predictions", MlopsCommand.OK);
        }
    }

    /** The labels, checked for shape before anything is sent: a bad file is a usage error. */
    private List<Map<String, Object>> read(Path csv) throws IOException {
        List<Map<String, Object>> labels = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
            Iterator<CsvRecord> records = reader.iterator();
            if (!records.hasNext()) {
                throw usageError(csv + " is empty: it needs the header request_id,label[,instance]");
            }
            List<String> header = records.next().getFields().stream().map(String::trim).toList();
            int id = header.indexOf("request_id");
            int label = header.indexOf("label");
            int instance = header.indexOf("instance");
            if (id < 0 || label < 0) {
                throw usageError(csv + " needs the columns request_id and label (and optionally instance); its header is "
                        + String.join(",", header));
            }
            while (records.hasNext()) {
                CsvRecord r = records.next();
                if (r.getFieldCount() == 1 && r.getField(0).isEmpty()) {
                    continue;
                }
                if (r.getFieldCount() != header.size()) {
                    throw usageError(csv + " line " + r.getStartingLineNumber() + ": " + r.getFieldCount() + " fields, the"
                            + " header has " + header.size());
                }
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("request_id", r.getField(id).trim());
                item.put("label", r.getField(label));
                if (instance >= 0 && !r.getField(instance).isBlank()) {
                    try {
                        item.put("instance", Integer.parseInt(r.getField(instance).trim()));
                    } catch (NumberFormatException e) {
                        throw usageError(csv + " line " + r.getStartingLineNumber() + ": instance \"" + r.getField(instance)
                                + "\" is not a row number");
                    }
                }
                labels.add(item);
            }
        }
        if (labels.isEmpty()) {
            throw usageError(csv + " has no labels under its header");
        }
        return labels;
    }
}
