package dev.mlops.local.console;

import dev.mlops.core.errors.ContractException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's web server: GET and HEAD only (nothing on it changes anything), on loopback unless told otherwise,
 * answering only requests addressed to the name it was opened under (so a page elsewhere cannot reach it through
 * a rebound DNS name). Pages are rendered on the server; charts are drawn in the browser by the bundled Chart.js.
 */
public final class ConsoleServer implements AutoCloseable {

    /** Console pages run only the console's own script; reports (script-free pages) may only be framed by it. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; frame-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final String REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
    private static final Map<String, String> STATIC = Map.of(
            "chart.umd.min.js", "text/javascript; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "LICENSE.md", "text/plain; charset=utf-8");
    /** Report pages and documents the console shows as they are stored. */
    private static final Pattern REPORT = Pattern.compile(
            "(datasets|models|monitoring)/[A-Za-z0-9._/=-]+\\.(html|json)");

    private final Server server;
    private final ServerConnector connector;
    private final Pages pages;

    private ConsoleServer(Server server, ServerConnector connector, Pages pages) {
        this.server = server;
        this.connector = connector;
        this.pages = pages;
    }

    /**
     * Starts the console.
     *
     * @param sources what it reads
     * @param host    the address to listen on (loopback by default)
     * @param port    the port (0: any free one)
     */
    public static ConsoleServer start(ConsoleSources sources, String host, int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("console");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ConsoleServer console = new ConsoleServer(server, connector, new Pages(sources));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                console.answer(request, response, callback);
                return true;
            }
        });
        server.start();
        return console;
    }

    /** Where the console answers, e.g. {@code http://127.0.0.1:5000/}. */
    public URI url() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + connector.getLocalPort() + "/");
    }

    private void answer(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            send(response, callback, Reply.text(405, "the console is read-only: GET and HEAD only"), method);
            return;
        }
        if (!addressedToUs(request)) {
            send(response, callback, Reply.text(421, "this console answers only on " + url()), method);
            return;
        }
        Reply reply;
        try {
            reply = route(Request.getPathInContext(request), Request.extractQueryParameters(request));
        } catch (ContractException | NotFound e) {
            reply = Reply.page(404, pages.error("Not found", e.getMessage()));
        } catch (RuntimeException e) {
            reply = Reply.page(500, pages.error("Could not read the stack", String.valueOf(e.getMessage())));
        }
        send(response, callback, reply, method);
    }

    /** A request whose Host names this console: its loopback name or address, or the address it was bound to. */
    private boolean addressedToUs(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']')))
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        String bound = connector.getHost();
        if (name.equalsIgnoreCase(bound)) {
            return true;
        }
        // Only literal loopback addresses: a name other than localhost is never resolved.
        return name.equalsIgnoreCase("localhost") || name.equals("::1")
                || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private Reply route(String path, Fields query) {
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        for (int i = 0; i < p.length; i++) {
            p[i] = URLDecoder.decode(p[i], StandardCharsets.UTF_8);
        }
        String first = p[0];
        if (first.isEmpty()) {
            return Reply.redirect("/models");
        }
        switch (first) {
            case "models":
                if (p.length == 1) {
                    return Reply.page(200, pages.models());
                }
                if (p.length == 2) {
                    return Reply.page(200, pages.model(p[1]));
                }
                if (p.length == 3 && p[2].equals("monitoring")) {
                    return Reply.page(200, pages.monitoring(p[1]));
                }
                if (p.length == 4 && p[2].equals("versions")) {
                    return Reply.page(200, pages.version(p[1], version(p[3])));
                }
                break;
            case "runs":
                if (p.length == 1) {
                    return Reply.page(200, pages.runs(query.getValue("dataset")));
                }
                if (p.length == 2 && p[1].equals("compare")) {
                    return Reply.page(200, pages.compare(query.getValue("a"), query.getValue("b")));
                }
                if (p.length == 2) {
                    return Reply.page(200, pages.run(p[1]));
                }
                break;
            case "datasets":
                if (p.length == 1) {
                    return Reply.page(200, pages.datasets());
                }
                if (p.length == 2) {
                    return Reply.page(200, pages.dataset(p[1]));
                }
                break;
            case "reports":
                String key = path.substring("/reports/".length());
                if (p.length > 1 && REPORT.matcher(key).matches() && !key.contains("..")) {
                    return pages.report(key).map(bytes -> new Reply(200, key.endsWith(".html")
                                    ? "text/html; charset=utf-8" : "application/json", bytes, REPORT_POLICY, null))
                            .orElseThrow(() -> new NotFound("no report " + key + " in the stack's bucket"));
                }
                break;
            case "static":
                if (p.length == 2 && STATIC.containsKey(p[1])) {
                    return staticFile(p[1]);
                }
                break;
            default:
                break;
        }
        throw new NotFound("no page " + path);
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new NotFound("no version " + text + ": versions are numbers");
        }
    }

    private static Reply staticFile(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new NotFound("static/" + name + " is not in this build (the console's npm step did not run)");
            }
            return new Reply(200, STATIC.get(name), in.readAllBytes(), null, "max-age=3600");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void send(Response response, Callback callback, Reply reply, String method) {
        response.setStatus(reply.status());
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, reply.type());
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put(HttpHeader.CACHE_CONTROL, reply.cache() == null ? "no-store" : reply.cache());
        if (reply.location() != null) {
            headers.put(HttpHeader.LOCATION, reply.location());
        }
        headers.put("Content-Security-Policy", reply.policy() == null ? PAGE_POLICY : reply.policy());
        headers.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, "HEAD".equals(method) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(reply.body()), callback);
    }

    /** A page, document or file to send. */
    private record Reply(int status, String type, byte[] body, String policy, String cache, String location) {

        Reply(int status, String type, byte[] body, String policy, String cache) {
            this(status, type, body, policy, cache, null);
        }

        static Reply page(int status, String html) {
            return new Reply(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), null, null);
        }

        static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8),
                    null, null);
        }

        static Reply redirect(String to) {
            return new Reply(302, "text/plain; charset=utf-8", new byte[0], null, null, to);
        }
    }

    /** A page or document that does not exist: 404 with the reason. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
