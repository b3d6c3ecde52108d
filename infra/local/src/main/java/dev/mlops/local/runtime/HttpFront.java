package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
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
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local front door on 127.0.0.1, one port for two real protocols:
 * <ul>
 *   <li>the HTTP API routes of template.yaml, turned into API Gateway payload format 2.0 events
 *       (as API Gateway does: path parameters URL-decoded, a 10 MB body limit, 404 for no route,
 *       500 when the function fails);</li>
 *   <li>the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}), which the
 *       local Step Functions calls for Task states, with {@code X-Amz-Function-Error} on failure.</li>
 * </ul>
 * Differences from AWS: no authorizer (the template's AWS_IAM auth is not enforced locally), no throttling.
 */
public final class HttpFront implements AutoCloseable {

    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Route(StackModel.HttpRoute route, Pattern pattern, List<String> parameters) {
    }

    private final HttpServer server;
    private final Map<String, FunctionHost> functions;
    private final List<Route> routes = new ArrayList<>();

    public HttpFront(int port, Map<String, FunctionHost> functionsByName, List<StackModel.HttpRoute> httpRoutes) throws IOException {
        this.functions = functionsByName;
        for (StackModel.HttpRoute r : httpRoutes) {
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
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readLimited(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Matcher invoke = INVOKE.matcher(path);
            if (invoke.matches() && "POST".equals(exchange.getRequestMethod())) {
                invokeFunction(exchange, URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8), body);
            } else {
                routeApi(exchange, path, body);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }

    private void invokeFunction(HttpExchange exchange, String nameOrArn, byte[] payload) throws IOException {
        String name = nameOrArn.contains(":function:") ? nameOrArn.substring(nameOrArn.indexOf(":function:") + 10) : nameOrArn;
        int qualifier = name.indexOf(':');
        if (qualifier >= 0) {
            name = name.substring(0, qualifier);
        }
        FunctionHost host = functions.get(name);
        if (host == null) {
            send(exchange, 404, Map.of("content-type", "application/json", "x-amzn-ErrorType", "ResourceNotFoundException"),
                    "{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}");
            return;
        }
        FunctionHost.Result result = host.invoke(payload.length == 0 ? "{}".getBytes() : payload);
        if (result.failed()) {
            send(exchange, 200, Map.of("content-type", "application/json", "X-Amz-Function-Error", "Unhandled"),
                    JSON.writeValueAsString(result.error().payload()));
        } else {
            send(exchange, 200, Map.of("content-type", "application/json"), new String(result.payload(), StandardCharsets.UTF_8));
        }
    }

    private void routeApi(HttpExchange exchange, String rawPath, byte[] body) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        for (Route r : routes) {
            Matcher m = r.pattern().matcher(rawPath);
            if (!m.matches() || !(r.route().method().equals(method) || r.route().method().equals("ANY"))) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < r.parameters().size(); i++) {
                parameters.put(r.parameters().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
            }
            FunctionHost host = functions.values().stream()
                    .filter(f -> f.function().logicalId().equals(r.route().functionId())).findFirst().orElseThrow();
            byte[] event = JSON.writeValueAsBytes(apiEvent(exchange, r, rawPath, parameters, body));
            FunctionHost.Result result = host.invoke(event);
            if (result.failed()) {
                System.err.println("[api] " + host.function().logicalId() + " failed: " + result.error().errorType()
                        + ": " + result.error().errorMessage());
                send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            respond(exchange, result.payload());
            return;
        }
        send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
    }

    private static Map<String, Object> apiEvent(HttpExchange exchange, Route r, String rawPath,
                                                Map<String, String> parameters, byte[] body) {
        Instant now = Instant.now();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> queryParameters = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                queryParameters.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        String routeKey = r.route().method() + " " + r.route().path();
        boolean text = isText(headers.get("content-type"));
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", exchange.getRequestMethod());
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", StackModel.ACCOUNT);
        context.put("apiId", "local");
        context.put("domainName", "127.0.0.1");
        context.put("domainPrefix", "local");
        context.put("http", http);
        context.put("requestId", UUID.randomUUID().toString());
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
    private static void respond(HttpExchange exchange, byte[] payload) throws IOException {
        JsonNode node = JSON.readTree(payload);
        if (node != null && node.isObject() && node.has("statusCode")) {
            Map<String, String> headers = new LinkedHashMap<>();
            node.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            String body = node.path("body").isMissingNode() || node.path("body").isNull() ? "" : node.path("body").asText();
            byte[] bytes = node.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
            send(exchange, node.get("statusCode").asInt(), headers, bytes);
        } else {
            send(exchange, 200, Map.of("content-type", "application/json"), payload);
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
