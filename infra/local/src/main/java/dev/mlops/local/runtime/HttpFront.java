package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.local.template.StackModel;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local front door on 127.0.0.1, one port for two real protocols:
 * <ul>
 *   <li>the HTTP API routes of template.yaml, turned into API Gateway payload format 2.0 events
 *       (as API Gateway does: path parameters URL-decoded, a 10 MB body limit, 404 for no route,
 *       500 when the function fails);</li>
 *   <li>the Lambda API's Invoke ({@code POST /2015-03-31/functions/{name}/invocations}), which the
 *       local Step Functions calls for Task states, with {@code X-Amz-Function-Error} on failure, and
 *       {@code X-Amz-Invocation-Type: Event} answered 202 with an empty body while the function runs in the
 *       background (with Lambda's asynchronous attempts); GetFunction and ListFunctions. A function is named by
 *       its physical name ({@code <stack>-<LogicalId>}), its logical id, or its ARN.</li>
 * </ul>
 * It runs on Jetty, so a slow or stuck client cannot starve the others: headers and bodies are read
 * without holding a thread, a connection silent for {@link #IDLE_TIMEOUT_MILLIS} is closed, the
 * accept backlog and the job queue are bounded (a full queue is a 503), and responses go out with
 * {@code TCP_NODELAY}. Every answer, the door's own 400/404/413/431/500/503 included, is JSON with a
 * {@code request_id} and an {@code x-request-id} header.
 * Differences from AWS: no authorizer (the template's AWS_IAM auth is not enforced locally), no throttling.
 */
public final class HttpFront implements AutoCloseable {

    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** A connection that sends nothing for this long is closed (its request, if any, abandoned). */
    static final long IDLE_TIMEOUT_MILLIS = 5_000;
    static final int MAX_THREADS = 32;
    static final int MAX_QUEUED_JOBS = 256;

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final Pattern FUNCTIONS = Pattern.compile("/2015-03-31/functions/?([^/]*)/?");
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Route(StackModel.HttpRoute route, Pattern pattern, List<String> parameters) {
    }

    /** What the door answers itself. */
    private record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private final Server server;
    private final ServerConnector connector;
    private final QueuedThreadPool threads;
    private final Map<String, FunctionHost> functions;
    private final StackModel model;
    private final List<Route> routes = new ArrayList<>();
    private final java.util.concurrent.ExecutorService asyncInvocations = java.util.concurrent.Executors
            .newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "lambda-async");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param port            the port (0: any free one)
     * @param functionsByName the functions' hosts by physical name (filled in by the caller once they exist)
     * @param model           the template (routes, and the functions' configuration)
     */
    public HttpFront(int port, Map<String, FunctionHost> functionsByName, StackModel model) throws IOException {
        this.functions = functionsByName;
        this.model = model;
        for (StackModel.HttpRoute r : model.httpRoutes()) {
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(r.path());
            StringBuilder regex = new StringBuilder();
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(r.path().substring(last, m.start())));
                String name = m.group(1);
                boolean greedy = name.endsWith("+");
                names.add(greedy ? name.substring(0, name.length() - 1) : name);
                regex.append(greedy ? "(.+)" : "([^/]+)");
                last = m.end();
            }
            regex.append(Pattern.quote(r.path().substring(last)));
            routes.add(new Route(r, Pattern.compile(regex.toString()), names));
        }
        this.threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000, new BlockingArrayQueue<>(MAX_QUEUED_JOBS));
        threads.setName("local-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        // Paths reach the functions raw, as API Gateway passes them; they decode and judge them.
        config.setUriCompliance(UriCompliance.UNSAFE);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.setAcceptQueueSize(128);
        connector.setAcceptedTcpNoDelay(true);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return accept(request, response, callback);
            }
        });
        server.setErrorHandler(HttpFront::errorAnswer);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IOException("the local front door did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Reads the body without holding a thread, then answers on a pool thread. */
    private boolean accept(Request request, Response response, Callback callback) {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            send(response, callback, own(413, "Request Entity Too Large"));
            return true;
        }
        Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES).whenComplete((body, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof IllegalArgumentException) {
                    send(response, callback, own(413, "Request Entity Too Large"));
                } else if (cause instanceof java.util.concurrent.TimeoutException) {
                    send(response, callback, own(408, "Request Timeout: the body did not arrive in time"));
                } else {
                    callback.failed(cause);
                }
                return;
            }
            try {
                threads.execute(() -> {
                    Answer answer;
                    try {
                        answer = answer(request, body);
                    } catch (Throwable e) {
                        // Whatever it was, the client gets its answer (it would otherwise wait for its idle timeout).
                        System.err.println("[api] " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        answer = own(500, "Internal Server Error");
                    }
                    send(response, callback, answer);
                });
            } catch (RejectedExecutionException full) {
                send(response, callback, own(503, "Service Unavailable"));
            }
        });
        return true;
    }

    private Answer answer(Request request, byte[] body) throws IOException {
        String path = request.getHttpURI().getPath();
        Matcher invoke = INVOKE.matcher(path == null ? "" : path);
        if (invoke.matches() && "POST".equals(request.getMethod())) {
            return invokeFunction(URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8), body,
                    request.getHeaders().get("X-Amz-Invocation-Type"));
        }
        Matcher functionsPath = FUNCTIONS.matcher(path == null ? "" : path);
        if (functionsPath.matches() && "GET".equals(request.getMethod())) {
            return functionsPath.group(1).isEmpty() ? listFunctions()
                    : getFunction(URLDecoder.decode(functionsPath.group(1), StandardCharsets.UTF_8));
        }
        return routeApi(request, path == null ? "/" : path, body);
    }

    /** The host of a function named by physical name, logical id or ARN (a qualifier is ignored), or null. */
    private FunctionHost host(String nameOrArn) {
        String name = nameOrArn.contains(":function:") ? nameOrArn.substring(nameOrArn.indexOf(":function:") + 10) : nameOrArn;
        int qualifier = name.indexOf(':');
        String bare = qualifier >= 0 ? name.substring(0, qualifier) : name;
        FunctionHost byName = functions.get(bare);
        return byName != null ? byName : functions.values().stream()
                .filter(h -> h.function().logicalId().equals(bare)).findFirst().orElse(null);
    }

    private static Answer notFound(String name) throws IOException {
        return new Answer(404, Map.of("content-type", "application/json", "x-amzn-ErrorType", "ResourceNotFoundException"),
                JSON.writeValueAsBytes(Map.of("Type", "User", "message", "Function not found: arn:aws:lambda:"
                        + StackModel.REGION + ":" + StackModel.ACCOUNT + ":function:" + name)));
    }

    /** A function's configuration as Lambda's GetFunctionConfiguration gives it. */
    private Map<String, Object> configuration(StackModel.Function f) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("FunctionName", f.name());
        c.put("FunctionArn", f.arn());
        c.put("Runtime", f.runtime());
        c.put("Role", "arn:aws:iam::" + StackModel.ACCOUNT + ":role/" + StackModel.STACK_NAME + "-" + f.logicalId() + "Role");
        c.put("Handler", f.handler());
        c.put("Timeout", f.timeoutSeconds());
        c.put("MemorySize", f.memorySize());
        c.put("Version", "$LATEST");
        c.put("State", "Active");
        c.put("PackageType", "Zip");
        c.put("Environment", Map.of("Variables", f.environment()));
        return c;
    }

    private Answer listFunctions() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        model.functions().forEach(f -> all.add(configuration(f)));
        return new Answer(200, Map.of("content-type", "application/json"), JSON.writeValueAsBytes(Map.of("Functions", all)));
    }

    private Answer getFunction(String nameOrArn) throws IOException {
        FunctionHost host = host(nameOrArn);
        if (host == null) {
            return notFound(nameOrArn);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Configuration", configuration(model.function(host.function().logicalId())));
        out.put("Code", Map.of("RepositoryType", "S3", "Location", "(local: the function's classes on the runtime's class path)"));
        return new Answer(200, Map.of("content-type", "application/json"), JSON.writeValueAsBytes(out));
    }

    private Answer invokeFunction(String nameOrArn, byte[] payload, String invocationType) throws IOException {
        FunctionHost host = host(nameOrArn);
        if (host == null) {
            return notFound(nameOrArn);
        }
        byte[] event = payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload;
        if ("DryRun".equals(invocationType)) {
            return new Answer(204, Map.of("content-type", "application/json"), new byte[0]);
        }
        if ("Event".equals(invocationType)) {
            // Asynchronous invocation: queued, answered 202 with an empty body, tried as many times as Lambda would.
            int attempts = model.asyncAttempts(host.function().logicalId());
            asyncInvocations.execute(Surviving.of("asynchronous invocations", () -> {
                for (int attempt = 1; attempt <= attempts; attempt++) {
                    FunctionHost.Result r = host.invoke(event);
                    if (!r.failed()) {
                        return;
                    }
                    System.err.println("[lambda] " + host.function().name() + " failed an asynchronous invocation (attempt "
                            + attempt + "/" + attempts + "): " + r.error().summary());
                }
            }));
            return new Answer(202, Map.of("x-amzn-RequestId", UUID.randomUUID().toString()), new byte[0]);
        }
        FunctionHost.Result result = host.invoke(event);
        if (result.failed()) {
            return new Answer(200, Map.of("content-type", "application/json", "X-Amz-Function-Error", "Unhandled"),
                    JSON.writeValueAsBytes(result.error().payload()));
        }
        return new Answer(200, Map.of("content-type", "application/json"), result.payload());
    }

    private Answer routeApi(Request request, String rawPath, byte[] body) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        for (Route r : routes) {
            Matcher m = r.pattern().matcher(rawPath);
            if (!m.matches() || !(r.route().method().equals(method) || r.route().method().equals("ANY"))) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < r.parameters().size(); i++) {
                String decoded = decode(m.group(i + 1));
                if (decoded == null) {
                    return own(400, "Bad Request: the path is not valid percent-encoding");
                }
                parameters.put(r.parameters().get(i), decoded);
            }
            FunctionHost host = functions.values().stream()
                    .filter(f -> f.function().logicalId().equals(r.route().functionId())).findFirst().orElseThrow();
            String requestId = UUID.randomUUID().toString();
            byte[] event = JSON.writeValueAsBytes(apiEvent(request, r, rawPath, parameters, body, requestId));
            FunctionHost.Result result = host.invoke(event);
            if (result.failed()) {
                System.err.println("[api] " + host.function().logicalId() + " failed: " + result.error().summary());
                return own(500, "Internal Server Error", requestId);
            }
            return response(result.payload(), requestId);
        }
        return own(404, "Not Found");
    }

    /** URL-decodes a path parameter as API Gateway does; null when the encoding is broken. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** URL-decodes a query string part ({@code +} is a space there); null when the encoding is broken. */
    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, Object> apiEvent(Request request, Route r, String rawPath,
                                                Map<String, String> parameters, byte[] body, String requestId) {
        Instant now = Instant.now();
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.merge(f.getLowerCaseName(), f.getValue(), (a, b) -> a + "," + b);
        }
        String query = request.getHttpURI().getQuery();
        Map<String, String> queryParameters = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
                if (k != null && v != null) {
                    queryParameters.merge(k, v, (a, b) -> a + "," + b);
                }
            }
        }
        String routeKey = r.route().method() + " " + r.route().path();
        boolean text = isText(headers.get("content-type"));
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", request.getMethod());
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", Request.getRemoteAddr(request));
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", StackModel.ACCOUNT);
        context.put("apiId", "local");
        context.put("domainName", "127.0.0.1");
        context.put("domainPrefix", "local");
        context.put("http", http);
        context.put("requestId", requestId);
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", query == null ? "" : query);
        event.put("headers", headers);
        if (!queryParameters.isEmpty()) {
            event.put("queryStringParameters", queryParameters);
        }
        if (!parameters.isEmpty()) {
            event.put("pathParameters", parameters);
        }
        event.put("requestContext", context);
        if (body.length > 0) {
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        }
        event.put("isBase64Encoded", body.length > 0 && !text);
        return event;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String c = contentType.toLowerCase(Locale.ROOT);
        return c.startsWith("text/") || c.contains("json") || c.contains("xml") || c.contains("x-www-form-urlencoded");
    }

    /** Payload format 2.0: a response object with statusCode, or any other JSON as a 200 body. */
    private static Answer response(byte[] payload, String requestId) throws IOException {
        JsonNode node = JSON.readTree(payload);
        Map<String, String> headers = new LinkedHashMap<>();
        if (node != null && node.isObject() && node.has("statusCode")) {
            node.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            headers.putIfAbsent("x-request-id", requestId);
            String body = node.path("body").isMissingNode() || node.path("body").isNull() ? "" : node.path("body").asText();
            byte[] bytes = node.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
            return new Answer(node.get("statusCode").asInt(), headers, bytes);
        }
        headers.put("content-type", "application/json");
        headers.put("x-request-id", requestId);
        return new Answer(200, headers, payload);
    }

    private static Answer own(int status, String message) {
        return own(status, message, UUID.randomUUID().toString());
    }

    /** An answer of the door itself: JSON with the message and a request id, in the body and the header. */
    private static Answer own(int status, String message, String requestId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("request_id", requestId);
        return new Answer(status, Map.of("content-type", "application/json", "x-request-id", requestId),
                dev.mlops.core.Json.bytes(body));
    }

    /** Jetty's own errors (a malformed request line or URI, headers too large, ...): JSON, not an HTML page. */
    private static boolean errorAnswer(Request request, Response response, Callback callback) {
        int status = response.getStatus() < 400 ? 500 : response.getStatus();
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        String text = message == null ? "Error" : message.toString();
        send(response, callback, own(status, status >= 500 ? "Internal Server Error" : "Bad Request: " + text));
        return true;
    }

    private static void send(Response response, Callback callback, Answer answer) {
        try {
            response.setStatus(answer.status());
            answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }

    @Override
    public void close() {
        asyncInvocations.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("[local] stopping the front door: " + e.getMessage());
        }
    }
}
