package dev.mlops.local.console;

import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.aws.DynamoDriftCheckLog;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack deployed with {@code sam deploy}, read with the user's own credentials (the SDK's default chain:
 * {@code AWS_PROFILE}, SSO, environment variables): its tables and bucket are found by their logical ids in
 * {@code template.yaml}, through CloudFormation's list of the stack's resources. Only reads are made; the
 * credentials need no more than the read actions of DynamoDB, S3 and {@code cloudformation:ListStackResources}.
 */
public final class DeployedStack {

    /** The template's logical ids the console reads. */
    static final List<String> READ = List.of("DataBucket", "ModelsTable", "AuditTable", "RunsTable", "DatasetsTable",
            "UploadsTable", "DriftChecksTable");

    private DeployedStack() {
    }

    /**
     * The sources of a deployed stack.
     *
     * @param stack  the stack's name
     * @param region its region
     * @throws IllegalStateException when the stack lacks one of the resources the console reads
     */
    public static ConsoleSources open(String stack, String region) {
        Region r = Region.of(region);
        Map<String, String> physical = new HashMap<>();
        try (CloudFormationClient cfn = CloudFormationClient.builder().region(r)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            for (StackResourceSummary s : cfn.listStackResourcesPaginator(b -> b.stackName(stack))
                    .stackResourceSummaries()) {
                physical.put(s.logicalResourceId(), s.physicalResourceId());
            }
        }
        for (String id : READ) {
            if (!physical.containsKey(id)) {
                throw new IllegalStateException("stack " + stack + " in " + region + " has no " + id
                        + ": is it a stack of this template.yaml?");
            }
        }
        S3Client s3 = S3Client.builder().region(r).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().region(r)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        String bucket = physical.get("DataBucket");
        return new ConsoleSources("stack " + stack + " in " + region, bucket, new S3ObjectStore(s3, bucket),
                new DynamoModelRegistry(dynamo, physical.get("ModelsTable"), physical.get("AuditTable"),
                        Clock.systemUTC()),
                new DynamoRunLog(dynamo, physical.get("RunsTable"), Clock.systemUTC()),
                new DynamoDatasetCatalog(dynamo, physical.get("DatasetsTable"), physical.get("UploadsTable")),
                new DynamoDriftCheckLog(dynamo, physical.get("DriftChecksTable")), null);
    }
}
