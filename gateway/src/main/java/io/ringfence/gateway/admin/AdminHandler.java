package io.ringfence.gateway.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Everything on the admin endpoint but {@code /metrics} (served by the Prometheus exporter):
 * {@code GET /health} is 200 "ok" or 503 with the reasons; {@code /} lists the paths; anything
 * else is 404. Only GET and HEAD. A request body is never held: up to {@value #MAX_BODY} bytes are read and
 * dropped, a longer one is answered 413 and its connection closed (review: a 700 MiB POST to {@code /health}
 * was read whole onto the heap and ended the server with an OutOfMemoryError). Every answer closes its
 * connection, so a client that pipelines requests and reads no answers holds a serving thread only until
 * its first answer is written.
 */
final class AdminHandler implements HttpHandler {
    static final String HEALTH = "/health";
    /** The most request body bytes read (and dropped) before a request is refused. */
    static final int MAX_BODY = 64 * 1024;

    private final Supplier<String> health;

    /** @param health null when healthy, otherwise every reason it is not, one per line */
    AdminHandler(final Supplier<String> health) {
        this.health = health;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Connection", "close");
            if (!drained(exchange.getRequestBody())) {
                respond(exchange, 413, "request body over " + MAX_BODY + " bytes: the admin endpoint takes none\n");
                return;
            }
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "only GET and HEAD\n");
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            if (HEALTH.equals(path)) {
                final String problems = health.get();
                respond(exchange, problems == null ? 200 : 503, problems == null ? "ok\n" : problems);
            } else if ("/".equals(path)) {
                respond(exchange, 200, "ringfence admin\n  /metrics  Prometheus metrics\n  /health   200 ok, or 503 and why\n");
            } else {
                respond(exchange, 404, "no " + path + " here; try /metrics or /health\n");
            }
        }
    }

    /** Reads and drops a request body: true when it ended within {@link #MAX_BODY} bytes. */
    private static boolean drained(final java.io.InputStream body) throws IOException {
        final byte[] scrap = new byte[8192];
        long read = 0;
        int n;
        while ((n = body.read(scrap)) >= 0) {
            read += n;
            if (read > MAX_BODY) {
                return false;
            }
        }
        return true;
    }

    private static void respond(final HttpExchange exchange, final int status, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
