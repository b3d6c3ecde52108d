package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StackConfig;

import java.util.Base64;
import java.util.Map;

/** HTTP API event → {@link ModelService} → JSON response with the right status code. */
public final class InferenceHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final java.util.regex.Pattern SAFE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9=_-]{1,64}");

    private final ModelService service;

    public InferenceHandler() {
        this(new ModelService(new S3ObjectStore(AwsClients.s3(), StackConfig.bucket()),
                new ModelRegistryStore(AwsClients.dynamoDb(), StackConfig.modelsTable()),
                Double.parseDouble(FunctionEnvironment.get("CAPTURE_SAMPLE_RATE", "1")),
                Integer.parseInt(FunctionEnvironment.get("MAX_REQUEST_BYTES", "1048576"))));
    }

    public InferenceHandler(ModelService service) {
        this.service = service;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        if (requestId == null || !SAFE_ID.matcher(requestId).matches()) {
            // The id names the capture object in S3: only trust a plain one.
            requestId = java.util.UUID.randomUUID().toString();
        }
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "POST";
        String target = event.getPathParameters() == null ? null : event.getPathParameters().get("model");
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                : event.getBody().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ModelService.Reply reply = service.handle(method, target, body, requestId);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(reply.status())
                .withHeaders(Map.of("content-type", "application/json", "x-request-id", requestId))
                .withBody(reply.body())
                .build();
    }
}
