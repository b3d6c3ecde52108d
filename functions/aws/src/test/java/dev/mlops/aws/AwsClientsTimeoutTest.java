package dev.mlops.aws;

import dev.mlops.core.errors.TransientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The template's per-function SDK timeouts reach the clients, and a service that accepts but never answers fails the call. */
class AwsClientsTimeoutTest {

    @Test
    void theTimeoutVariables_shouldBoundEachAttemptAndTheWholeCall() {
        var dynamo = FunctionEnvironment.with(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "a",
                "AWS_SECRET_ACCESS_KEY", "b", "SDK_ATTEMPT_TIMEOUT_SECONDS", "2", "SDK_CALL_TIMEOUT_SECONDS", "5.5"),
                AwsClients::dynamoDb);
        var configuration = dynamo.serviceClientConfiguration().overrideConfiguration();
        assertThat(configuration.apiCallAttemptTimeout()).contains(Duration.ofSeconds(2));
        assertThat(configuration.apiCallTimeout()).contains(Duration.ofMillis(5500));
    }

    @Test
    void withoutTheVariables_theSdksDefaultsShouldStand() {
        var s3 = FunctionEnvironment.with(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "a",
                "AWS_SECRET_ACCESS_KEY", "b"), AwsClients::s3);
        assertThat(s3.serviceClientConfiguration().overrideConfiguration().apiCallTimeout()).isEmpty();
    }

    @Test
    void aNonsenseValue_shouldNameTheVariable() {
        assertThatThrownBy(() -> FunctionEnvironment.with(Map.of("AWS_REGION", "us-east-1",
                "SDK_CALL_TIMEOUT_SECONDS", "soon"), AwsClients::s3))
                .hasMessageContaining("SDK_CALL_TIMEOUT_SECONDS").hasMessageContaining("\"soon\"");
    }

    @Test
    @Timeout(60) // a hang guard only: without the timeouts this call would wait forever
    void aServiceThatAcceptsButNeverAnswers_shouldFailTheCallAsTransient() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // reads nothing, answers nothing: a stopped process
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var dynamo = FunctionEnvironment.with(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "a",
                    "AWS_SECRET_ACCESS_KEY", "b", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + silent.getLocalPort(),
                    "SDK_ATTEMPT_TIMEOUT_SECONDS", "0.5", "SDK_CALL_TIMEOUT_SECONDS", "2"), AwsClients::dynamoDb);
            DynamoRunLog runs = new DynamoRunLog(dynamo, "Runs", Clock.systemUTC());
            assertThatThrownBy(() -> runs.find("r-1")).isInstanceOf(TransientException.class)
                    .hasMessageContaining("could not be reached while reading run r-1");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
