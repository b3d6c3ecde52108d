package dev.mlops.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.Json;
import dev.mlops.core.ingest.IngestionService;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * S3 upload event → {@link IngestionService} for each record → one outcome per record (snake_case). When a record
 * cannot be ingested (a service down, an object still being written), the failed attempt is recorded on the
 * upload (RETRYING, and at the last of {@code DELIVERY_ATTEMPTS} FAILED_DELIVERY) and the invocation fails, so
 * Lambda retries the asynchronous event and then hands it to the on-failure destination (template.yaml).
 */
public final class IngestHandler implements RequestHandler<S3Event, List<Map<String, Object>>> {

    /** Lambda's asynchronous invocation: the first attempt and two retries, unless the template says otherwise. */
    static final int DEFAULT_DELIVERY_ATTEMPTS = 3;

    private final IngestionService ingestion;
    private final PowertoolsMetrics metrics;
    private final int deliveryAttempts;

    /** Used by Lambda: clients built once per execution environment. */
    public IngestHandler() {
        Adapters aws = Adapters.fromEnvironment();
        this.metrics = aws.metrics();
        IngestionService.InParts inParts = inParts();
        this.ingestion = new IngestionService(aws.objectStore(), aws.datasetCatalog(), aws.runLog(),
                aws.pipelineLauncher(), metrics, aws.clock(), maxUploadBytes(), inParts,
                inParts == null ? null : aws.validationLauncher());
        this.deliveryAttempts = deliveryAttempts();
    }

    /** {@code DELIVERY_ATTEMPTS} (template.yaml: 1 + the async invoke config's MaximumRetryAttempts). */
    static int deliveryAttempts() {
        String value = FunctionEnvironment.get("DELIVERY_ATTEMPTS", String.valueOf(DEFAULT_DELIVERY_ATTEMPTS));
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable DELIVERY_ATTEMPTS must be a positive number, got \""
                    + value + "\"");
        }
    }

    /** {@code MAX_UPLOAD_BYTES} (template.yaml), else {@link IngestionService#DEFAULT_MAX_UPLOAD_BYTES}. */
    static long maxUploadBytes() {
        String value = FunctionEnvironment.get("MAX_UPLOAD_BYTES",
                String.valueOf(IngestionService.DEFAULT_MAX_UPLOAD_BYTES));
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable MAX_UPLOAD_BYTES must be a number of bytes, got \""
                    + value + "\"");
        }
    }

    /**
     * Validation in parts (template.yaml): uploads over {@code INLINE_VALIDATION_BYTES} go to the validation state
     * machine in parts of {@code VALIDATION_PART_BYTES}, {@code VALIDATION_MAX_CONCURRENCY} at once; without
     * {@code INLINE_VALIDATION_BYTES} every upload is read in one pass.
     */
    static IngestionService.InParts inParts() {
        String inline = FunctionEnvironment.get("INLINE_VALIDATION_BYTES", "");
        if (inline.isBlank()) {
            return null;
        }
        return new IngestionService.InParts(number("INLINE_VALIDATION_BYTES", inline),
                number("VALIDATION_PART_BYTES", FunctionEnvironment.get("VALIDATION_PART_BYTES", "268435456")),
                Math.toIntExact(number("VALIDATION_MAX_CONCURRENCY",
                        FunctionEnvironment.get("VALIDATION_MAX_CONCURRENCY", "10"))));
    }

    private static long number(String name, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a positive number, got \""
                    + value + "\"");
        }
    }

    /** Used by tests. */
    public IngestHandler(IngestionService ingestion, PowertoolsMetrics metrics) {
        this(ingestion, metrics, DEFAULT_DELIVERY_ATTEMPTS);
    }

    /** Used by tests, with another number of delivery attempts. */
    public IngestHandler(IngestionService ingestion, PowertoolsMetrics metrics, int deliveryAttempts) {
        this.ingestion = ingestion;
        this.metrics = metrics;
        this.deliveryAttempts = deliveryAttempts;
    }

    @Override
    public List<Map<String, Object>> handleRequest(S3Event event, Context context) {
        metrics.coldStart(context);
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            // The key arrives URL-encoded ("+" for spaces); the decoded form is what S3 stores.
            String key = record.getS3().getObject().getUrlDecodedKey();
            String versionId = record.getS3().getObject().getVersionId();
            IngestionService.Outcome outcome;
            try {
                outcome = ingestion.ingest(record.getS3().getBucket().getName(), key, versionId);
            } catch (RuntimeException failed) {
                recordFailedAttempt(key, versionId, failed);
                throw failed;
            }
            Map<String, Object> fields = Json.tree(outcome);
            Log.info("upload " + outcome.status().name().toLowerCase(Locale.ROOT), fields);
            outcomes.add(fields);
        }
        return outcomes;
    }

    /** Best effort: when what failed is the catalog itself, the dead-letter queue is the record. */
    private void recordFailedAttempt(String key, String versionId, RuntimeException failed) {
        String error = failed.getClass().getSimpleName() + ": " + failed.getMessage();
        try {
            ingestion.deliveryFailed(key, versionId, error, deliveryAttempts).ifPresent(recorded ->
                    Log.warn("upload " + recorded.status().name().toLowerCase(Locale.ROOT), Json.tree(recorded)));
        } catch (RuntimeException alsoFailed) {
            Log.warn("upload attempt failed and could not be recorded", Map.of("key", key, "error", error,
                    "record_error", String.valueOf(alsoFailed.getMessage())));
        }
    }
}
