package dev.mlops.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the SDK clients once per function, the way Lambda wants them: explicit region, the light
 * URL-connection HTTP client, and an endpoint override read from the standard
 * {@code AWS_ENDPOINT_URL_<SERVICE>} / {@code AWS_ENDPOINT_URL} variables (set only by the local
 * runtime and the tests, never on AWS). Bounded waits: {@code SDK_ATTEMPT_TIMEOUT_SECONDS} and
 * {@code SDK_CALL_TIMEOUT_SECONDS}, which template.yaml sets for each function, bound one HTTP attempt and a
 * whole call with its retries, so a hung dependency is a failed call within seconds, not a hang (reading a
 * streamed response body is bounded by the HTTP client's socket timeout instead). Unset (the command line), the
 * SDK's defaults. S3 bodies go as they are, without {@code aws-chunked} encoding: over plain HTTP (the emulators) the
 * SDK would sign them chunk by chunk, and S3Mock decodes such a body a byte at a time, about 3 times the CPU of a
 * plain one (BENCHMARKS.md, "Big uploads validated in parts"), which batch parts writing their rows paid on every
 * byte; without chunks the SDK reads a body twice, hashing it before sending it, so every body the functions send is
 * bytes, a file or another source it can read again. Everything else is the SDK's default, checksums included.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static S3Client s3() {
        return s3(builder -> {
        });
    }

    /**
     * An S3 client for sending large bodies ({@link S3MultipartPut}): its HTTP client waits up to
     * {@code readTimeout} for an answer (the default, 30 s, is too short for {@code CompleteMultipartUpload}, which
     * answers once the object is assembled).
     */
    public static S3Client s3ForUploads(Duration readTimeout) {
        return s3(builder -> builder
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(readTimeout)));
    }

    private static S3Client s3(java.util.function.Consumer<software.amazon.awssdk.services.s3.S3ClientBuilder> tuning) {
        var builder = S3Client.builder();
        configure(builder, "S3");
        // Emulators are addressed by IP and port, which has no virtual-host form.
        if (endpoint("S3") != null) {
            builder.forcePathStyle(true);
        }
        builder.serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        tuning.accept(builder);
        return builder.build();
    }

    public static DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder();
        configure(builder, "DYNAMODB");
        return builder.build();
    }

    public static SfnClient stepFunctions() {
        var builder = SfnClient.builder();
        configure(builder, "SFN");
        return builder.build();
    }

    public static EventBridgeClient eventBridge() {
        var builder = EventBridgeClient.builder();
        configure(builder, "EVENTBRIDGE");
        return builder.build();
    }

    private static void configure(AwsClientBuilder<?, ?> builder, String service) {
        builder.region(Region.of(FunctionEnvironment.get("AWS_REGION", "us-east-1")))
                .credentialsProvider(credentials());
        Duration attempt = seconds("SDK_ATTEMPT_TIMEOUT_SECONDS");
        Duration call = seconds("SDK_CALL_TIMEOUT_SECONDS");
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        String endpoint = endpoint(service);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        // One override: a second call would replace the first.
        builder.overrideConfiguration(o -> {
            if (attempt != null) {
                o.apiCallAttemptTimeout(attempt);
            }
            if (call != null) {
                o.apiCallTimeout(call);
            }
            if (endpoint != null) {
                // Outside Lambda (the local runtime, its command line): a failure names the service and where it
                // was expected, not just "Unable to execute HTTP request: Connection refused (SDK Attempt Count: 9)".
                o.addExecutionInterceptor(new NamedFailures(service, endpoint));
            }
        });
    }

    /** Rewrites a client-side failure (nothing answered) into one that names the service and its endpoint. */
    static final class NamedFailures implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {

        private final String service;
        private final String endpoint;

        NamedFailures(String service, String endpoint) {
            this.service = switch (service) {
                case "DYNAMODB" -> "DynamoDB";
                case "SFN" -> "Step Functions";
                case "EVENTBRIDGE" -> "EventBridge";
                default -> service;
            };
            this.endpoint = endpoint;
        }

        @Override
        public Throwable modifyException(software.amazon.awssdk.core.interceptor.Context.FailedExecution context,
                                         software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            Throwable e = context.exception();
            // Only the plain class: the SDK requires a subclass (a call or attempt timeout) to stay what it is.
            if (e.getClass() != software.amazon.awssdk.core.exception.SdkClientException.class
                    || e.getMessage() != null && e.getMessage().startsWith(service + " at ")) {
                return e;
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return software.amazon.awssdk.core.exception.SdkClientException.builder()
                    .message(service + " at " + endpoint + " could not be reached: " + why)
                    .cause(e).build();
        }
    }

    /** A duration in seconds from a variable, or null when it is unset. */
    static Duration seconds(String variable) {
        String value = FunctionEnvironment.get(variable);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000));
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException("not positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + variable + " must be a positive number of"
                    + " seconds, not \"" + value + "\" (see template.yaml)");
        }
    }

    private static String endpoint(String service) {
        return FunctionEnvironment.get("AWS_ENDPOINT_URL_" + service, FunctionEnvironment.get("AWS_ENDPOINT_URL"));
    }

    private static AwsCredentialsProvider credentials() {
        String key = FunctionEnvironment.get("AWS_ACCESS_KEY_ID");
        String secret = FunctionEnvironment.get("AWS_SECRET_ACCESS_KEY");
        if (key == null || secret == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = FunctionEnvironment.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token == null
                ? AwsBasicCredentials.create(key, secret)
                : AwsSessionCredentials.create(key, secret, token));
    }
}
