package dev.mlops.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.Json;
import dev.mlops.core.data.CsvParts;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.PartedUpload;
import dev.mlops.core.ingest.UploadParts;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * The upload-validation state machine's steps, told apart by {@code action}: {@code scan} one part (a
 * Distributed Map item), {@code merge} the parts and conclude the upload, {@code fail} records why it failed; all
 * by {@link UploadParts}.
 */
public final class IngestPartsHandler extends TaskHandler<JsonNode, Object> {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final UploadParts parts;

    /** Used by Lambda: clients built once per execution environment. */
    public IngestPartsHandler() {
        this(fromEnvironment(Adapters.fromEnvironment()));
    }

    /** The merge concludes an upload as the ingest function does, with the same service (no parts of its own). */
    private static UploadParts fromEnvironment(Adapters aws) {
        return new UploadParts(aws.objectStore(), new IngestionService(aws.objectStore(), aws.datasetCatalog(),
                aws.runLog(), aws.pipelineLauncher(), aws.metrics(), aws.clock()));
    }

    /** Used by tests. */
    public IngestPartsHandler(UploadParts parts) {
        this.parts = parts;
    }

    @Override
    protected Object handle(JsonNode input, Context context) {
        String action = input.path("action").asText("");
        PartedUpload upload = Json.convert(ContractException.required(input.get("upload"), "upload"),
                PartedUpload.class);
        return switch (action) {
            case "scan" -> {
                long wall = System.nanoTime();
                long cpu = THREADS.getCurrentThreadCpuTime();
                UploadParts.PartScanned scanned = parts.scanPart(upload,
                        Json.convert(ContractException.required(input.get("part"), "part"), CsvParts.Part.class));
                // Wall and CPU time of the part (read, scan, hash, write): CPU well under wall is time spent waiting
                // (for S3's bytes, or for a core shared with other parts).
                Log.info("upload part scanned", Map.of("key", upload.key(), "part", scanned.part(),
                        "rows", scanned.rows(), "bytes", scanned.bytes(),
                        "millis", (System.nanoTime() - wall) / 1_000_000,
                        "cpu_millis", (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000));
                yield scanned;
            }
            case "merge" -> logged(parts.merge(upload));
            case "fail" -> {
                JsonNode error = input.path("error");
                yield logged(parts.failed(upload, error.path("Error").asText(null), error.path("Cause").asText(null)));
            }
            default -> throw new ContractException("action must be scan, merge or fail, not \"" + action + "\"");
        };
    }

    private static Map<String, Object> logged(IngestionService.Outcome outcome) {
        Map<String, Object> fields = Json.tree(outcome);
        Log.info("upload " + outcome.status().name().toLowerCase(java.util.Locale.ROOT), fields);
        return fields;
    }
}
