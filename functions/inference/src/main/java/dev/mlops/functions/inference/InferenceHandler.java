package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.serving.ObjectStoreCapture;
import dev.mlops.core.serving.ServingService;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** HTTP API event → {@link ServingService} → JSON response with the right status code. */
public final class InferenceHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9=_-]{1,64}");

    private final ServingService service;
    private final PowertoolsMetrics metrics;

    public InferenceHandler() {
        Adapters aws = Adapters.fromEnvironment();
        ObjectStore store = aws.objectStore();
        this.metrics = aws.metrics();
        this.service = new ServingService(store, aws.modelRegistry(), new ObjectStoreCapture(store), metrics,
                Double.parseDouble(FunctionEnvironment.get("CAPTURE_SAMPLE_RATE", "1")),
                () -> ThreadLocalRandom.current().nextDouble(),
                Integer.parseInt(FunctionEnvironment.get("MAX_REQUEST_BYTES", "1048576")), Clock.systemUTC());
    }

    public InferenceHandler(ServingService service, PowertoolsMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        metrics.coldStart(context);
        if (event.getRequestContext() == null && event.getRouteKey() == null) {
            // Not an HTTP API request: the registry's EventBridge rule saying production moved. The
            // runtime's event mapping keeps no detail, so every model's alias is re-read on its next request.
            service.invalidateAll();
            Log.info("production changed: aliases will be re-read", Map.of());
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json")).withBody("{\"refreshed\":true}").build();
        }
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        if (requestId == null || !SAFE_ID.matcher(requestId).matches()) {
            // The id names the capture object in S3: only trust a plain one.
            requestId = UUID.randomUUID().toString();
        }
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "POST";
        String target = event.getPathParameters() == null ? null : event.getPathParameters().get("model");
        String version = event.getPathParameters() == null ? null : event.getPathParameters().get("version");
        if (target != null && version != null) {
            // GET /v1/models/{model}/versions/{version}[/metadata]
            target = target + "/versions/" + version
                    + (event.getRouteKey() != null && event.getRouteKey().endsWith("/metadata") ? "/metadata" : "");
        }
        byte[] body;
        try {
            body = event.getBody() == null ? new byte[0]
                    : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badBase64) {
            body = null;
        }
        ServingService.Reply reply = body == null
                ? new ServingService.Reply(400, "{\"error\":\"body is not valid base64\",\"request_id\":\"" + requestId
                        + "\"}", Map.of())
                : service.handle(new ServingService.Request(method, target, body, requestId));
        if (reply.status() >= 500) {
            Log.warn("model not served", Map.of("request_id", requestId, "status", reply.status(), "body", reply.body()));
        }
        Map<String, String> headers = new HashMap<>(reply.headers());
        headers.put("content-type", "application/json");
        headers.put("x-request-id", requestId);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(reply.status())
                .withHeaders(headers)
                .withBody(reply.body())
                .build();
    }
}
