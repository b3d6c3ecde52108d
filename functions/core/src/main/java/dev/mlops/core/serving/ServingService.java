package dev.mlops.core.serving;

import dev.mlops.core.Json;
import dev.mlops.core.Names;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.explain.ExplainedPrediction;
import dev.mlops.core.model.explain.Explainer;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The model API: routes, verbs and status codes. {@code POST :predict}, {@code :explain} and {@code :feedback}, {@code GET} the
 * model's metadata and the registry's read-only views ({@link ModelCatalogView}); which version answers is the
 * {@link ServedModels}' business, how a body reads is {@link PredictRequest}'s and {@link Feedback}'s.
 *
 * <p><b>Every answer</b> is JSON with a {@code request_id} ({@link Reply}): client mistakes are 4xx with a
 * reason, a model that cannot serve is 503 with {@code Retry-After}, and a fault of ours is a 500 that says
 * nothing about the internals (the details are logged). Sampled requests are captured with their answers, off
 * the request path; a capture failure never fails a prediction.
 *
 * <p><b>During a rollout</b> ({@link ServedModels#rollout}) a stable hash of the request's {@link Request#key()}
 * chooses its route ({@link RolloutRouting}): a canary's share is answered by the challenger, a shadow's share by
 * production alone. The other version scores the same instances where the capture is written ({@link
 * CaptureSink#captureWithShadow}: the {@link BackgroundCapture} writer thread, after the caller has its answer), and
 * the request is captured with both answers ({@link CaptureSink.Shadow}), whatever the sample rate: those
 * captures are the rollout's evidence. A challenger that cannot load or predict never fails a request: production
 * answers, and the capture records the challenger's error. A request that pins a version ({@code ?version=N}) is
 * outside the rollout.
 */
public final class ServingService {

    /**
     * An HTTP answer: status, JSON body and extra headers. Every error body, whoever answers, is built by {@link
     * #error}.
     */
    public record Reply(int status, String body, Map<String, String> headers) {

        /** 200 with a JSON body. */
        public static Reply ok(Map<String, Object> body) {
            return new Reply(200, Json.string(body), Map.of());
        }

        /**
         * An error: {@code {"error": message, "request_id": ...}}; a 503 tells the client when to ask again
         * ({@code Retry-After}).
         */
        public static Reply error(int status, String message, String requestId) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            body.put("request_id", requestId);
            return new Reply(status, Json.string(body), status == 503
                    ? Map.of("retry-after", Integer.toString(RETRY_AFTER_SECONDS)) : Map.of());
        }

        /** The answer of a fault of ours: nothing about the internals. */
        public static Reply internalError(String requestId) {
            return error(500, "internal error; quote the request_id when you report it", requestId);
        }

        /** Why no model serves, as the API answers it: 404 when it does not exist, 503 otherwise. */
        static Reply notServed(ServedModels.NotServed why, String requestId) {
            return error(why.kind() == ServedModels.NotServed.Kind.NOT_FOUND ? 404 : 503, why.reason(), requestId);
        }
    }

    /**
     * One request.
     *
     * @param method    the HTTP method
     * @param target    the path after {@code /v1/models/}, segments URL-decoded: {@code iris:predict},
     *                  {@code iris}, {@code iris/metadata}
     * @param query     query parameters ({@code version})
     * @param body      the body (empty when none)
     * @param requestId the id every answer carries
     * @param callerKey who is asking, for a rollout's routing: the {@code X-Request-Key} header, else the caller's
     *                  identity (null: neither)
     */
    public record Request(String method, String target, Map<String, String> query, byte[] body, String requestId,
                          String callerKey) {

        public Request {
            query = query == null ? Map.of() : query;
            body = body == null ? new byte[0] : body;
        }

        public Request(String method, String target, Map<String, String> query, byte[] body, String requestId) {
            this(method, target, query, body, requestId, null);
        }

        public Request(String method, String target, byte[] body, String requestId) {
            this(method, target, Map.of(), body, requestId, null);
        }

        /** The key a rollout routes by: the caller's key, else the request id (a new draw per request). */
        public String key() {
            return callerKey == null || callerKey.isBlank() ? requestId : callerKey;
        }
    }

    /** Seconds a client should wait before asking again when no model can serve. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(ServingService.class.getName());

    /** A parsed {@code /v1/models/...} path: the model, the segments after it, the verb after a colon. */
    private record Route(String model, List<String> rest, String verb) {
    }

    private final ObjectStore store;
    private final ServedModels models;
    private final CaptureSink capture;
    private final MetricsSink metrics;
    private final double captureSampleRate;
    private final DoubleSupplier random;
    private final int maxRequestBytes;
    private final Clock clock;
    private final ModelCatalogView catalog;

    /** A service that re-reads aliases on the calling thread (tests, tools). */
    public ServingService(ObjectStore store, ModelRegistry registry, CaptureSink capture, MetricsSink metrics,
                          double captureSampleRate, DoubleSupplier random, int maxRequestBytes, Clock clock) {
        this(store, registry, capture, metrics, captureSampleRate, random, maxRequestBytes, clock, Runnable::run);
    }

    /**
     * @param capture   where captured requests go; during a rollout it also scores the other version
     *                  ({@link CaptureSink#captureWithShadow}): a {@link BackgroundCapture} keeps that off the request
     *                  path
     * @param refresher where expired aliases are re-read; a background executor keeps the registry off
     *                  the request path
     */
    public ServingService(ObjectStore store, ModelRegistry registry, CaptureSink capture, MetricsSink metrics,
                          double captureSampleRate, DoubleSupplier random, int maxRequestBytes, Clock clock,
                          Executor refresher) {
        this.store = store;
        this.models = new ServedModels(store, registry, metrics, clock, refresher);
        this.capture = capture;
        this.metrics = metrics;
        this.captureSampleRate = captureSampleRate;
        this.random = random;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
        this.catalog = new ModelCatalogView(store, registry);
    }

    /**
     * Forgets which version production of every model pointed at, so the next request re-reads the alias
     * (a SnapStart restore; the short re-read period covers instances that receive no event). Loaded models are kept.
     */
    public void invalidateAll() {
        models.invalidateAll();
    }

    /** The registry said production of a model moved: its next request re-reads the alias. */
    public void productionChanged(ProductionChanged change) {
        models.productionChanged(change);
    }

    /** Handles {@code METHOD /v1/models/{target}}; never throws, every answer has the request id. */
    public Reply handle(Request request) {
        return handle(request, true);
    }

    /**
     * Handles a request; {@code capture} false leaves it out of the captured traffic (warm-up requests).
     */
    public Reply handle(Request request, boolean capture) {
        String requestId = request.requestId();
        try {
            return route(request, capture);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request failed", new Object[] {Map.of("request_id", String.valueOf(requestId),
                    "error", e.getClass().getName() + ": " + e.getMessage())});
            return Reply.internalError(requestId);
        }
    }

    private Reply route(Request request, boolean capture) {
        String requestId = request.requestId();
        Route route = parse(request.target());
        if (route == null) {
            return Reply.error(404, "no model in the path: use /v1/models/{model}:predict", requestId);
        }
        if (!Names.isValid(route.model())) {
            return Reply.error(400, "invalid model name: use 1-40 characters of a-z, 0-9, '-' and '_'", requestId);
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(java.util.Locale.ROOT);
        boolean get = method.equals("GET");
        if (method.equals("POST") && route.rest().isEmpty() && route.verb().equals("predict")) {
            return predict(route.model(), request, capture);
        }
        if (method.equals("POST") && route.rest().isEmpty() && route.verb().equals("explain")) {
            return explain(route.model(), request);
        }
        if (method.equals("POST") && route.rest().isEmpty() && route.verb().equals("feedback")) {
            return feedback(route.model(), request);
        }
        if (get && route.verb().isEmpty() && route.rest().equals(List.of("metadata"))) {
            return metadata(route.model(), request);
        }
        if (get && route.verb().isEmpty()) {
            // The registry's read-only views: the model, a version, a version's metadata.
            return readOnly(request.target(), requestId);
        }
        return Reply.error(404, "unknown route " + method + " /v1/models/" + request.target()
                + ": use POST /v1/models/{model}:predict, POST /v1/models/{model}:explain, POST /v1/models/{model}:feedback, GET /v1/models/{model}[/metadata]"
                + " or GET /v1/models/{model}/versions/{version}[/metadata]", requestId);
    }

    /** {@code iris:predict} → (iris, [], predict); {@code iris/metadata} → (iris, [metadata], ""). */
    private static Route parse(String target) {
        if (target == null || target.isEmpty()) {
            return null;
        }
        List<String> segments = List.of(target.split("/", -1));
        String last = segments.get(segments.size() - 1);
        int colon = last.lastIndexOf(':');
        String verb = colon < 0 ? "" : last.substring(colon + 1);
        List<String> plain = new ArrayList<>(segments);
        plain.set(plain.size() - 1, colon < 0 ? last : last.substring(0, colon));
        return new Route(plain.get(0), List.copyOf(plain.subList(1, plain.size())), verb);
    }

    /** A {@code :predict} or {@code :explain} request that passed the checks both share, and its model. */
    private record Scoring(PredictRequest parsed, ServedModels.Found found) {
    }

    /**
     * The checks {@code :predict} and {@code :explain} share: the body's size and shape, the version asked for,
     * a model that serves. Either the request to score, or the error answer.
     */
    private Object scoring(String model, Request request) {
        String requestId = request.requestId();
        byte[] body = request.body();
        if (body.length > maxRequestBytes) {
            return Reply.error(413, "request body is " + body.length + " bytes; the limit is " + maxRequestBytes, requestId);
        }
        PredictRequest parsed;
        try {
            parsed = PredictRequest.parse(body);
        } catch (ContractException e) {
            return Reply.error(400, e.getMessage(), requestId);
        }
        ServedModels.Resolution resolution;
        try {
            resolution = models.resolve(model, request.query());
        } catch (ContractException e) {
            return Reply.error(400, e.getMessage(), requestId);
        }
        if (resolution instanceof ServedModels.NotServed notServed) {
            return Reply.notServed(notServed, requestId);
        }
        return new Scoring(parsed, (ServedModels.Found) resolution);
    }

    private Reply predict(String model, Request request, boolean capture) {
        String requestId = request.requestId();
        Object checked = scoring(model, request);
        if (checked instanceof Reply refused) {
            return refused;
        }
        PredictRequest parsed = ((Scoring) checked).parsed();
        ServedModels.Found found = ((Scoring) checked).found();
        ServedModels.Served production = found.served();
        Optional<ServedModels.LiveRollout> rollout = request.query().containsKey("version") ? Optional.empty()
                : models.rollout(model, production.version().version());
        RolloutRouting.Route route = rollout.map(r -> RolloutRouting.route(r.rollout(), request.key()))
                .orElse(RolloutRouting.Route.PRODUCTION);
        ServedModels.Served answering = production;
        List<Prediction> predictions = null;
        CaptureSink.Shadow challengerFailed = null;
        if (route == RolloutRouting.Route.CHALLENGER) {
            int challenger = rollout.get().rollout().challenger();
            if (rollout.get().challenger() instanceof ServedModels.Found c) {
                try {
                    predictions = c.served().predictor().predict(parsed.instances());
                    answering = c.served();
                } catch (RuntimeException e) {
                    challengerFailed = new CaptureSink.Shadow(challenger, null, e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                }
            } else {
                challengerFailed = new CaptureSink.Shadow(challenger, null,
                        ((ServedModels.NotServed) rollout.get().challenger()).reason());
            }
        }
        if (predictions == null) {
            try {
                predictions = production.predictor().predict(parsed.instances());
            } catch (InvalidInstanceException e) {
                return Reply.error(400, parsed.columnar() ? columnarMessage(e) : e.getMessage(), requestId);
            }
        }
        int version = answering.version().version();
        if (found.stale()) {
            models.countStale(model);
        }
        Map<String, Object> response = new LinkedHashMap<>(4);
        if (parsed.columnar()) {
            response.put("outputs", columns(predictions, answering.predictor().signature().classes()));
        } else {
            response.put("predictions", predictions);
        }
        response.put("model_version", version);
        response.put("request_id", requestId);
        if (!capture) {
            return Reply.ok(response);
        }
        CaptureSink.CapturedRequest captured = new CaptureSink.CapturedRequest(requestId, model, version,
                clock.instant(), parsed.instances(), predictions);
        if (challengerFailed != null) {
            record(captured.withShadow(challengerFailed));
        } else if (route == RolloutRouting.Route.PRODUCTION) {
            capture(captured);
        } else {
            // The other version scores the same instances off the request path, where the capture is written.
            ServedModels.Resolution other = route == RolloutRouting.Route.CHALLENGER ? found
                    : rollout.get().challenger();
            int otherVersion = route == RolloutRouting.Route.CHALLENGER ? production.version().version()
                    : rollout.get().rollout().challenger();
            scoreInTheShadow(captured, other, otherVersion);
        }
        return Reply.ok(response);
    }

    /**
     * The prediction of each instance and each feature's contribution to it ({@link Explainer}), under the same
     * rules as {@code :predict}; the method is named in every explanation. Not captured: explanations are asked
     * about traffic, they are not traffic.
     */
    private Reply explain(String model, Request request) {
        String requestId = request.requestId();
        Object checked = scoring(model, request);
        if (checked instanceof Reply refused) {
            return refused;
        }
        PredictRequest parsed = ((Scoring) checked).parsed();
        ServedModels.Found found = ((Scoring) checked).found();
        List<ExplainedPrediction> explained;
        try {
            explained = found.served().explainer().explain(parsed.instances());
        } catch (InvalidInstanceException e) {
            return Reply.error(400, parsed.columnar() ? columnarMessage(e) : e.getMessage(), requestId);
        } catch (ContractException e) {
            // a model whose task is not explained (a regression): the caller's question, not a server fault
            return Reply.error(400, e.getMessage(), requestId);
        }
        if (found.stale()) {
            models.countStale(model);
        }
        List<Prediction> predictions = explained.stream().map(ExplainedPrediction::prediction).toList();
        Map<String, Object> response = new LinkedHashMap<>(5);
        if (parsed.columnar()) {
            response.put("outputs", columns(predictions, found.served().predictor().signature().classes()));
        } else {
            response.put("predictions", predictions);
        }
        response.put("explanations", explained.stream().map(ExplainedPrediction::explanation).toList());
        response.put("model_version", found.served().version().version());
        response.put("request_id", requestId);
        return Reply.ok(response);
    }

    /**
     * Captures the request with the other version's answer, which the capture sink scores: {@link BackgroundCapture}
     * on its writer thread, after the caller has its answer, so the caller never waits for the other version.
     */
    private void scoreInTheShadow(CaptureSink.CapturedRequest captured, ServedModels.Resolution other,
                                  int otherVersion) {
        try {
            capture.captureWithShadow(captured, r -> shadowAnswer(r, other, otherVersion));
        } catch (RuntimeException e) {
            metrics.count("CaptureFailures", 1, Map.of("Model", captured.model()));
        }
    }

    private static CaptureSink.Shadow shadowAnswer(CaptureSink.CapturedRequest captured,
                                                   ServedModels.Resolution other, int otherVersion) {
        if (other instanceof ServedModels.NotServed notServed) {
            return new CaptureSink.Shadow(otherVersion, null, notServed.reason());
        }
        try {
            return new CaptureSink.Shadow(otherVersion,
                    ((ServedModels.Found) other).served().predictor().predict(captured.instances()), null);
        } catch (RuntimeException e) {
            return new CaptureSink.Shadow(otherVersion, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Ground-truth labels ({@link Feedback}): checked against the classes of the model production serves, then
     * stored before the answer, so a 200 means they are kept.
     */
    private Reply feedback(String model, Request request) {
        String requestId = request.requestId();
        if (request.body().length > maxRequestBytes) {
            return Reply.error(413, "request body is " + request.body().length + " bytes; the limit is " + maxRequestBytes,
                    requestId);
        }
        if (!request.query().isEmpty()) {
            return Reply.error(400, "unknown query parameter \"" + request.query().keySet().iterator().next()
                    + "\": feedback takes none", requestId);
        }
        ServedModels.Resolution resolution = models.production(model);
        if (resolution instanceof ServedModels.NotServed notServed) {
            return Reply.notServed(notServed, requestId);
        }
        List<String> classes = ((ServedModels.Found) resolution).served().predictor().signature().classes();
        List<Feedback.Label> labels;
        try {
            labels = Feedback.parse(request.body(), model, classes, clock.instant());
        } catch (ContractException e) {
            return Reply.error(400, e.getMessage(), requestId);
        }
        try {
            Feedback.store(store, model, requestId, labels);
        } catch (RuntimeException e) {
            ServedModels.logUnreachable("artifact store", model, e);
            return Reply.error(503, "the feedback could not be stored; send it again", requestId);
        }
        metrics.count("FeedbackReceived", labels.size(), Map.of("Model", model));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", labels.size());
        body.put("request_id", requestId);
        return Reply.ok(body);
    }

    /** The encoder's message with the columnar request's field path ({@code inputs.f[2]}). */
    private static String columnarMessage(InvalidInstanceException e) {
        String message = e.getMessage();
        String prefix = e.index() < 0 ? "instances: " : "instances[" + e.index() + "]"
                + (e.field() == null ? "" : "." + e.field()) + ": ";
        String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        if (e.index() < 0) {
            return "inputs: " + detail;
        }
        return (e.field() == null ? "inputs[" + e.index() + "]" : "inputs." + e.field() + "[" + e.index() + "]")
                + ": " + detail;
    }

    /** The columnar answer: {@code value} for a regression; {@code label}, {@code scores} (and {@code score}). */
    private static Map<String, Object> columns(List<Prediction> predictions, List<String> classes) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (!predictions.isEmpty() && predictions.get(0).value() != null) {
            outputs.put("value", predictions.stream().map(Prediction::value).toList());
            return outputs;
        }
        List<String> labels = new ArrayList<>(predictions.size());
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (String c : classes) {
            scores.put(c, new ArrayList<>(predictions.size()));
        }
        for (Prediction p : predictions) {
            labels.add(p.label());
            p.scores().forEach((c, s) -> scores.computeIfAbsent(c, k -> new ArrayList<>()).add(s));
        }
        outputs.put("label", labels);
        outputs.put("scores", scores);
        if (!predictions.isEmpty() && predictions.get(0).score() != null) {
            outputs.put("score", predictions.stream().map(Prediction::score).toList());
        }
        return outputs;
    }

    private Reply metadata(String model, Request request) {
        ServedModels.Resolution resolution;
        try {
            resolution = models.resolve(model, request.query());
        } catch (ContractException e) {
            return Reply.error(400, e.getMessage(), request.requestId());
        }
        if (resolution instanceof ServedModels.NotServed notServed) {
            return Reply.notServed(notServed, request.requestId());
        }
        ServedModels.Served served = ((ServedModels.Found) resolution).served();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", model);
        spec.put("signature_name", "");
        spec.put("version", Integer.toString(served.version().version()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_spec", spec);
        body.put("metadata", Map.of("signature", SignatureDescription.of(served.predictor())));
        body.put("request_id", request.requestId());
        return Reply.ok(body);
    }

    /**
     * One warm-up request per production model (at most {@code max}): the models are loaded ({@link
     * ServedModels#warmUp}) and each gets a {@code :predict} request with one row it can score. Nothing is returned
     * when the registry cannot be read.
     */
    public List<Request> warmUpRequests(int max) {
        List<Request> requests = new ArrayList<>();
        for (ServedModels.Served served : models.warmUp(max)) {
            Map<String, Object> row = ExampleRow.of(served.predictor());
            requests.add(new Request("POST", served.version().model() + ":predict",
                    Json.bytes(Map.of("instances", List.of(row))), "warm-up"));
        }
        return requests;
    }

    /** The catalog's answer; the registry being unreachable is a 503 like everywhere else. */
    private Reply readOnly(String target, String requestId) {
        try {
            return catalog.get(target, requestId);
        } catch (RuntimeException e) {
            ServedModels.logUnreachable("registry", target, e);
            return Reply.error(503, "the model registry is unreachable; retry later", requestId);
        }
    }

    /** Captures a sampled request with its response. */
    private void capture(CaptureSink.CapturedRequest request) {
        if (captureSampleRate <= 0 || random.getAsDouble() >= captureSampleRate) {
            return;
        }
        record(request);
    }

    /** Captures a request; a capture failure never fails the prediction. */
    private void record(CaptureSink.CapturedRequest request) {
        try {
            capture.capture(request);
        } catch (RuntimeException e) {
            // The client gets its prediction regardless; the loss is counted.
            metrics.count("CaptureFailures", 1, Map.of("Model", request.model()));
        }
    }
}
