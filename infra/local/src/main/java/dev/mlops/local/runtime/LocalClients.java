package dev.mlops.local.runtime;

import dev.mlops.aws.AwsClients;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.local.template.StackModel;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS environment variables that point the SDK at the emulators, and clients built from them
 * through the same {@link AwsClients} factory the functions use.
 */
public final class LocalClients {

    private final Map<String, String> environment;

    public LocalClients(String s3, String dynamodb, String stepFunctions, String events) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", StackModel.REGION);
        env.put("AWS_DEFAULT_REGION", StackModel.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_S3", s3);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamodb);
        env.put("AWS_ENDPOINT_URL_SFN", stepFunctions);
        if (events != null) {
            env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", events);
        }
        this.environment = Map.copyOf(env);
    }

    public static LocalClients of(RuntimeInfo info) {
        return new LocalClients(info.s3(), info.dynamodb(), info.stepFunctions(), info.events());
    }

    /** The variables every local function gets on top of its template environment. */
    public Map<String, String> environment() {
        return environment;
    }

    public S3Client s3() {
        return FunctionEnvironment.with(environment, AwsClients::s3);
    }

    /** An S3 client for sending large bodies ({@link AwsClients#s3ForUploads(java.time.Duration)}). */
    public S3Client s3ForUploads(java.time.Duration readTimeout) {
        return FunctionEnvironment.with(environment, () -> AwsClients.s3ForUploads(readTimeout));
    }

    public DynamoDbClient dynamoDb() {
        return FunctionEnvironment.with(environment, AwsClients::dynamoDb);
    }

    public EventBridgeClient eventBridge() {
        return FunctionEnvironment.with(environment, AwsClients::eventBridge);
    }

    public SfnClient stepFunctions() {
        return FunctionEnvironment.with(environment, AwsClients::stepFunctions);
    }
}
