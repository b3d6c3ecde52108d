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

/** S3 upload event → {@link IngestionService} for each record → one outcome per record (snake_case). */
public final class IngestHandler implements RequestHandler<S3Event, List<Map<String, Object>>> {

    private final IngestionService ingestion;
    private final PowertoolsMetrics metrics;

    /** Used by Lambda: clients built once per execution environment. */
    public IngestHandler() {
        Adapters aws = Adapters.fromEnvironment();
        this.metrics = aws.metrics();
        this.ingestion = new IngestionService(aws.objectStore(), aws.datasetCatalog(), aws.runLog(),
                aws.pipelineLauncher(), metrics, aws.clock(), maxUploadBytes());
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

    /** Used by tests. */
    public IngestHandler(IngestionService ingestion, PowertoolsMetrics metrics) {
        this.ingestion = ingestion;
        this.metrics = metrics;
    }

    @Override
    public List<Map<String, Object>> handleRequest(S3Event event, Context context) {
        metrics.coldStart(context);
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            // The key arrives URL-encoded ("+" for spaces); the decoded form is what S3 stores.
            IngestionService.Outcome outcome = ingestion.ingest(record.getS3().getBucket().getName(),
                    record.getS3().getObject().getUrlDecodedKey(), record.getS3().getObject().getVersionId());
            Map<String, Object> fields = Json.tree(outcome);
            Log.info("upload " + outcome.status().name().toLowerCase(Locale.ROOT), fields);
            outcomes.add(fields);
        }
        return outcomes;
    }
}
