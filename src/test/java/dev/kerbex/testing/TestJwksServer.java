package dev.kerbex.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on 127.0.0.1 (ephemeral port) standing in for external issuers' JWKS endpoints: each path
 * answers what the test set, and counts the requests it got.
 */
public final class TestJwksServer implements AutoCloseable {

    /** What one path answers. */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(String body) {
            return new Answer(200, "application/json", body);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private TestJwksServer(HttpServer server) {
        this.server = server;
    }

    public static TestJwksServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestJwksServer s = new TestJwksServer(server);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                s.hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Answer a = s.answers.getOrDefault(path, new Answer(404, "text/plain", "not found"));
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", a.contentType());
                exchange.sendResponseHeaders(a.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public TestJwksServer answer(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** A loopback URL nothing listens on (the port was free a moment ago): a JWKS endpoint that is down. */
    public static String deadUrl(String path) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
