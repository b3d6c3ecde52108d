package dev.mlops.aws;

import dev.mlops.core.errors.TransientException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsCallsTest {

    @Test
    void anUnreachableService_shouldBeATransientErrorNamingTheServiceAndEndpoint() throws Exception {
        // GIVEN a DynamoDB client pointed at a port nothing listens on
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(URI.create(endpoint))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
        DynamoRunLog runs = new DynamoRunLog(dynamo, "Runs", Clock.systemUTC());
        // WHEN / THEN
        assertThatThrownBy(() -> runs.find("r-1")).isInstanceOf(TransientException.class)
                .hasMessageContaining("DynamoDB (" + endpoint + ")")
                .hasMessageContaining("could not be reached while reading run r-1");
    }

    @Test
    void otherErrors_shouldPassThrough() {
        assertThatThrownBy(() -> AwsCalls.call(DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build(), "doing nothing", () -> {
                    throw new IllegalStateException("a bug");
                })).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
        assertThat(AwsCalls.call(null, "x", () -> 1)).isEqualTo(1);
    }

    @Test
    void aClientBuiltForAnEmulator_shouldNameTheServiceAndEndpointWhenNothingAnswers() throws Exception {
        // GIVEN an S3 client built as the local runtime builds them, pointed at a port nothing listens on
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        var s3 = FunctionEnvironment.with(java.util.Map.of("AWS_ENDPOINT_URL_S3", endpoint, "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b"), AwsClients::s3);
        // WHEN / THEN the command line's own calls say what is down, not only "Unable to execute HTTP request"
        assertThatThrownBy(() -> s3.listBuckets())
                .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class)
                .hasMessageStartingWith("S3 at " + endpoint + " could not be reached: ");
    }
}
