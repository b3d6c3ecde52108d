package dev.mlops.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.DatasetStore;
import dev.mlops.aws.Log;
import dev.mlops.aws.Metrics;
import dev.mlops.aws.PipelineStarter;
import dev.mlops.aws.RunStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StackConfig;
import dev.mlops.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** S3 upload event → {@link Ingestion} for each record → one outcome per record. */
public final class IngestHandler implements RequestHandler<S3Event, List<Ingestion.Outcome>> {

    private final Ingestion ingestion;

    /** Used by Lambda: clients built once per container. */
    public IngestHandler() {
        var dynamo = AwsClients.dynamoDb();
        this.ingestion = new Ingestion(
                new S3ObjectStore(AwsClients.s3(), StackConfig.bucket()),
                new DatasetStore(dynamo, StackConfig.datasetsTable()),
                new RunStore(dynamo, StackConfig.runsTable()),
                new PipelineStarter(AwsClients.stepFunctions(), StackConfig.stateMachineArn()),
                Metrics.fromEnvironment());
    }

    /** Used by tests. */
    public IngestHandler(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public List<Ingestion.Outcome> handleRequest(S3Event event, Context context) {
        List<Ingestion.Outcome> outcomes = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            // The key arrives URL-encoded ("+" for spaces); the decoded form is what S3 stores.
            Ingestion.Outcome outcome = ingestion.ingest(record.getS3().getBucket().getName(),
                    record.getS3().getObject().getUrlDecodedKey(), record.getS3().getObject().getVersionId());
            Log.info("upload " + outcome.status().toLowerCase(java.util.Locale.ROOT), Json.MAPPER.convertValue(outcome, Map.class));
            outcomes.add(outcome);
        }
        return outcomes;
    }
}
