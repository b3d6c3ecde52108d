package dev.mlops.functions.inference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.serving.BackgroundCapture;
import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.core.serving.Feedback;
import dev.mlops.core.serving.ModelPath;
import dev.mlops.core.serving.ProductionChanged;
import dev.mlops.core.serving.ServingService;
import org.crac.Core;
import org.crac.Resource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP API event → {@link ServingService} → JSON response with the right status code and the
 * request id in the body and in {@code x-request-id}, whatever happens. The registry's announcement that
 * production moved comes as its own kind of event ({@link ProductionChanged}, route key {@value
 * #PRODUCTION_CHANGED}: the template's rule shapes it so).
 *
 * <p>Built once per container: the SDK clients, the service and its loaded models live as long as
 * the handler. Captures are written by a background thread ({@link BackgroundCapture}) and expired
 * aliases re-read by another, so neither S3 nor DynamoDB sits on a warm request's path.
 *
 * <p>Warm-up: at construction a background thread reads the production models from the registry
 * once and answers one prediction per model (at most {@value #WARM_UP_MODELS}, env
 * {@code WARM_UP_MODELS}; 0 turns it off), while the runtime reads the first event, which then waits
 * for it. SnapStart: the snapshot is taken after the warm-up ({@link #beforeCheckpoint} waits for
 * it), so it holds loaded models and exercised paths; nothing unique is made there (the warm-up
 * request id is a constant, nothing is captured, no metric is emitted, no random number drawn). After a restore ({@link #afterRestore}) every alias is
 * forgotten, so the first request re-reads it. The SDK's URL-connection client opens its
 * connections per request from the JDK's keep-alive cache, which drops connections idle longer
 * than their keep-alive time by the clock, so no connection from before the snapshot is reused.
 */
public final class InferenceHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource,
        AutoCloseable {

    /** Production models warmed up at construction (before a SnapStart snapshot); env WARM_UP_MODELS. */
    static final int WARM_UP_MODELS = 3;
    /** How long the first request waits for the warm-up, which is loading what it needs. */
    static final int WARM_UP_WAIT_SECONDS = 10;

    /** The route key of the registry's announcement that production moved (template.yaml, ProductionChanged). */
    static final String PRODUCTION_CHANGED = "ProductionChanged";
    /** The header that names the caller for a rollout's routing (lower case: HTTP API lowercases headers). */
    static final String REQUEST_KEY_HEADER = "x-request-key";
    private static final Map<String, String> SERVER_ERRORS = Map.of("Api", "models");
    private static final String WARM_UP_ID = "snapstart-warm-up";
    private static final String WARM_UP_KEY = "models/.warm-up";

    private final ServingService service;
    private final PowertoolsMetrics metrics;
    private final BackgroundCapture capture;
    private final int warmUpModels;
    private final CompletableFuture<List<Integer>> warmUp;
    private volatile boolean warmedUp;

    public InferenceHandler() {
        Adapters aws = Adapters.fromEnvironment();
        // The two SDK clients are built side by side: each takes hundreds of milliseconds of class loading.
        CompletableFuture<ModelRegistry> registry = async("dynamodb-client", aws::modelRegistry);
        ObjectStore store = aws.objectStore();
        this.metrics = aws.metrics();
        this.capture = new BackgroundCapture(new CaptureBatcher(store, captureSettings(), Clock.systemUTC()), metrics,
                Integer.parseInt(FunctionEnvironment.get("CAPTURE_QUEUE", "1024")));
        this.service = new ServingService(store, registry.join(), capture, metrics, Double.parseDouble(FunctionEnvironment.get("CAPTURE_SAMPLE_RATE", "1")),
                () -> ThreadLocalRandom.current().nextDouble(),
                Integer.parseInt(FunctionEnvironment.get("MAX_REQUEST_BYTES", "1048576")), Clock.systemUTC(),
                refresher());
        this.warmUpModels = Integer.parseInt(FunctionEnvironment.get("WARM_UP_MODELS", Integer.toString(WARM_UP_MODELS)));
        // Production models load while the runtime reads the first event; that request waits for them.
        // Meanwhile two more threads load what the warm-up needs next: the S3 request path (one HEAD
        // of a key that does not exist) and the model classes of the allow-list.
        this.warmUp = async("warm-up", this::warmUp);
        async("s3-warm-up", () -> store.head(WARM_UP_KEY, null));
        async("model-classes", InferenceHandler::loadModelClasses);
        Core.getGlobalContext().register(this);
        if (FunctionEnvironment.get("AWS_LAMBDA_RUNTIME_API", null) != null) {
            // Lambda runs shutdown hooks when it retires an environment with SIGTERM (it does when an extension
            // is registered): the batches under way are written then. Locally the runtime calls close().
            Runtime.getRuntime().addShutdownHook(new Thread(capture::close, "capture-flush"));
        }
    }

    public InferenceHandler(ServingService service, PowertoolsMetrics metrics) {
        this(service, metrics, null);
    }

    /** A handler around a service, whose captures (if any) {@link #close()} writes. */
    public InferenceHandler(ServingService service, PowertoolsMetrics metrics, BackgroundCapture capture) {
        this.service = service;
        this.metrics = metrics;
        this.capture = capture;
        this.warmUpModels = WARM_UP_MODELS;
        this.warmUp = CompletableFuture.completedFuture(List.of());
        this.warmedUp = true;
    }

    /** Batch limits from CAPTURE_BATCH_RECORDS, CAPTURE_BATCH_BYTES and CAPTURE_FLUSH_SECONDS (template.yaml). */
    static CaptureBatcher.Settings captureSettings() {
        CaptureBatcher.Settings d = CaptureBatcher.Settings.defaults();
        return new CaptureBatcher.Settings(
                Integer.parseInt(FunctionEnvironment.get("CAPTURE_BATCH_RECORDS", Integer.toString(d.maxRecords()))),
                Long.parseLong(FunctionEnvironment.get("CAPTURE_BATCH_BYTES", Long.toString(d.maxBytes()))),
                java.time.Duration.ofMillis(Math.round(1000 * Double.parseDouble(FunctionEnvironment.get(
                        "CAPTURE_FLUSH_SECONDS", Long.toString(d.maxAge().toSeconds()))))));
    }

    /** Writes the captures under way (the runtime's shutdown: Lambda's SIGTERM hook, the local runtime's stop). */
    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        }
    }

    private static boolean loadModelClasses() {
        for (String name : Predictor.ALLOWED_MODEL_CLASSES) {
            try {
                Class.forName(name);
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code work} on a daemon thread, with this thread's function environment. */
    private static <T> CompletableFuture<T> async(String name, java.util.function.Supplier<T> body) {
        java.util.function.Supplier<T> work = FunctionEnvironment.inherited(body);
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** One daemon thread re-reads expired aliases; at most one refresh waits, more are not needed. */
    private static Executor refresher() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(16), r -> {
                    Thread t = new Thread(r, "alias-refresh");
                    t.setDaemon(true);
                    return t;
                });
        return executor;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        metrics.coldStart(context);
        Optional<ProductionChanged> changed = productionChanged(event);
        if (changed.isPresent()) {
            service.productionChanged(changed.get());
            Log.info("production changed: its alias will be re-read", Map.of("model", changed.get().model()));
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody("{\"refreshed\":true}").build();
        }
        if (!warmedUp) {
            awaitWarmUp(WARM_UP_WAIT_SECONDS);
        }
        return respond(event, true);
    }

    /**
     * The registry's announcement that production moved, as the template's {@code ProductionChanged} rule shapes
     * it (its input transformer): route key {@value #PRODUCTION_CHANGED}, the model as the {@code model} path
     * parameter. No HTTP API route key looks like it (they start with a method).
     */
    static Optional<ProductionChanged> productionChanged(APIGatewayV2HTTPEvent event) {
        if (!PRODUCTION_CHANGED.equals(event.getRouteKey())) {
            return Optional.empty();
        }
        String model = event.getPathParameters() == null ? null : event.getPathParameters().get("model");
        return Optional.of(new ProductionChanged(model));
    }

    private APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, boolean capture) {
        String requestId = requestId(event);
        ServingService.Reply reply;
        try {
            reply = answer(event, requestId, capture);
        } catch (RuntimeException e) {
            Log.warn("request failed", Map.of("request_id", requestId, "error", e.getClass().getName() + ": "
                    + e.getMessage()));
            reply = ServingService.Reply.internalError(requestId);
        }
        if (reply.status() >= 500) {
            Log.warn("model not served", Map.of("request_id", requestId, "status", reply.status(), "body", reply.body()));
            if (capture) {
                // A rollback trigger of the function's own deployments (template.yaml, InferenceServerErrorsAlarm);
                // not counted for the warm-up, which emits nothing before a snapshot.
                metrics.count("ServerErrors", 1, SERVER_ERRORS);
            }
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

    private ServingService.Reply answer(APIGatewayV2HTTPEvent event, String requestId, boolean capture) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "POST";
        String target = ModelPath.target(event.getRawPath(),
                event.getPathParameters() == null ? "" : event.getPathParameters().get("model"));
        if (target == null) {
            return ServingService.Reply.error(400, "the path is not valid percent-encoding", requestId);
        }
        byte[] body;
        try {
            body = event.getBody() == null ? new byte[0]
                    : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badBase64) {
            return ServingService.Reply.error(400, "body is not valid base64", requestId);
        }
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        return service.handle(new ServingService.Request(method, target, query, body, requestId, callerKey(event)),
                capture);
    }

    /**
     * Who is asking, for a rollout's routing: the {@code X-Request-Key} header, else the IAM caller when the route
     * is signed; null when neither (the request id is used).
     */
    static String callerKey(APIGatewayV2HTTPEvent event) {
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
                if (REQUEST_KEY_HEADER.equalsIgnoreCase(h.getKey()) && h.getValue() != null && !h.getValue().isBlank()) {
                    return h.getValue();
                }
            }
        }
        APIGatewayV2HTTPEvent.RequestContext rc = event.getRequestContext();
        if (rc != null && rc.getAuthorizer() != null && rc.getAuthorizer().getIam() != null) {
            return rc.getAuthorizer().getIam().getUserArn();
        }
        return null;
    }

    /** The id every answer carries: API Gateway's, when it is plain enough to name an S3 object. */
    private static String requestId(APIGatewayV2HTTPEvent event) {
        String id = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        return id != null && Feedback.REQUEST_ID.matcher(id).matches() ? id : UUID.randomUUID().toString();
    }

    /**
     * SnapStart priming: one read of the production models, one prediction per model through the
     * same path as a request (capture off, no metric), so the snapshot holds what a request needs.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        awaitWarmUp(60);
        if (capture != null) {
            // Nothing is captured by the warm-up; anything captured before a checkpoint is written, not frozen.
            capture.flush();
        }
    }

    /** Waits for the warm-up started at construction (it does what the first request would do anyway). */
    private void awaitWarmUp(int seconds) {
        try {
            warmUp.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            Log.warn("warm-up did not finish", Map.of("error", String.valueOf(e.getMessage())));
        }
        warmedUp = true;
    }

    /** Requests answered by the warm-up: the status of each. */
    List<Integer> warmUp() {
        List<Integer> statuses = new java.util.ArrayList<>();
        if (warmUpModels <= 0) {
            return statuses;
        }
        for (ServingService.Request r : service.warmUpRequests(warmUpModels)) {
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setRawPath(ModelPath.PREFIX + r.target());
            event.setBody(new String(r.body(), StandardCharsets.UTF_8));
            event.setIsBase64Encoded(false);
            APIGatewayV2HTTPEvent.RequestContext rc = new APIGatewayV2HTTPEvent.RequestContext();
            rc.setRequestId(WARM_UP_ID);
            APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
            http.setMethod("POST");
            rc.setHttp(http);
            event.setRequestContext(rc);
            statuses.add(respond(event, false).getStatusCode());
        }
        Log.info("warm-up done", new LinkedHashMap<>(Map.of("predictions", statuses.size())));
        return statuses;
    }

    /** After a restore: re-read every alias on its next request (the snapshot may be old). */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        service.invalidateAll();
    }
}
