package dev.mlops.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Answers of the services the runtime serves itself on AWS JSON 1.1 (EventBridge's {@code PutEvents}, ECS's task
 * operations): their loopback server, a JSON body, and errors as the SDK reads them ({@code __type} and
 * {@code x-amzn-ErrorType}).
 */
final class AwsJsonReplies {

    private AwsJsonReplies() {
    }

    /** A started server on a free loopback port, {@code threads} daemon threads named {@code name} serving it. */
    static HttpServer serve(String name, int threads, HttpHandler handler) throws IOException {
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
    static void error(HttpExchange exchange, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        send(exchange, 400, dev.mlops.core.Json.MAPPER.writeValueAsBytes(Map.of("__type", type, "message", message)));
    }

    /** A JSON body with its status. */
    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
