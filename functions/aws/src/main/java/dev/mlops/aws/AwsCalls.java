package dev.mlops.aws;

import dev.mlops.core.errors.TransientException;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.function.Supplier;

/**
 * Runs an SDK call and turns what a retry can fix (the service unreachable, throttling, a 5xx)
 * into a {@link TransientException} whose message names the service, the endpoint and what was
 * being done, instead of "Unable to execute HTTP request". Everything else passes through.
 */
final class AwsCalls {

    private AwsCalls() {
    }

    static <T> T call(SdkClient client, String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkClientException e) {
            throw new TransientException(where(client) + " could not be reached while " + what + ": " + rootMessage(e), e);
        } catch (AwsServiceException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new TransientException(where(client) + " refused " + what + " (HTTP " + e.statusCode() + "): "
                        + e.awsErrorDetails().errorMessage(), e);
            }
            throw e;
        }
    }

    static void run(SdkClient client, String what, Runnable body) {
        call(client, what, () -> {
            body.run();
            return null;
        });
    }

    private static String where(SdkClient client) {
        var configuration = client.serviceClientConfiguration();
        String endpoint = configuration.endpointOverride().map(Object::toString).orElseGet(() ->
                configuration instanceof AwsServiceClientConfiguration aws && aws.region() != null
                        ? aws.region().id() : "default endpoint");
        String service = switch (client.serviceName()) {
            case "dynamodb" -> "DynamoDB";
            case "s3" -> "S3";
            case "states" -> "Step Functions";
            case "events" -> "EventBridge";
            default -> client.serviceName();
        };
        return service + " (" + endpoint + ")";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
