package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The services the runtime serves itself on AWS JSON 1.1 (EventBridge's {@code PutEvents}, ECS's task operations):
 * their loopback server, the request's {@code X-Amz-Target} and JSON body, a JSON answer, and errors as the SDK
 * reads them ({@code __type} and {@code x-amzn-ErrorType}).
 */
final class AwsJsonReplies {

    /** One service's operations: the answer to {@code operation} with its request, or a {@link Failure}. */
    interface Operations {
        Object answer(String operation, JsonNode request) throws IOException;
    }

    /** A client error: its {@code __type} (the SDK's exception) and message. */
    static final class Failure extends RuntimeException {
        private final String type;

        Failure(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private AwsJsonReplies() {
    }

    /**
     * A started server on a free loopback port, {@code threads} daemon threads named {@code name} serving the
     * operations whose {@code X-Amz-Target} is {@code targetPrefix + operation}. A request that is not a POST with
     * such a target, or whose body is not JSON, is refused as AWS refuses it; an unexpected failure is an HTTP 500
     * of {@code serverError}'s type, which the SDK retries.
     */
    static HttpServer serve(String name, int threads, String targetPrefix, String serverError, Operations operations)
            throws IOException {
        return serve(name, threads, exchange -> handle(exchange, targetPrefix, serverError, operations));
    }

    private static void handle(HttpExchange exchange, String targetPrefix, String serverError, Operations operations)
            throws IOException {
        // The 500 is sent inside the try-with-resources: its catch would run after the exchange is closed.
        try (exchange) {
            try {
                answer(exchange, targetPrefix, operations);
            } catch (RuntimeException e) {
                send(exchange, 500, ("{\"__type\":\"" + serverError + "\",\"message\":\""
                        + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void answer(HttpExchange exchange, String targetPrefix, Operations operations) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(targetPrefix)) {
            error(exchange, "UnknownOperationException", "expected POST / with X-Amz-Target: " + targetPrefix
                    + "<Operation>");
            return;
        }
        JsonNode request;
        try {
            request = dev.mlops.core.Json.MAPPER.readTree(body);
        } catch (IOException e) {
            error(exchange, "SerializationException", "body is not JSON: " + e.getMessage());
            return;
        }
        try {
            Object answer = operations.answer(target.substring(targetPrefix.length()), request);
            send(exchange, 200, dev.mlops.core.Json.MAPPER.writeValueAsBytes(answer));
        } catch (Failure e) {
            error(exchange, e.type, e.getMessage());
        }
    }

    private static HttpServer serve(String name, int threads, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", handler);
        server.start();
        return server;
    }

    /** A client error (HTTP 400) of the given type, which the SDK turns into its exception. */
    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        send(exchange, 400, dev.mlops.core.Json.MAPPER.writeValueAsBytes(Map.of("__type", type, "message", message)));
    }

    /** A JSON body with its status. */
    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
