package dev.kerbex.endpoint;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.http.OversizedBodies;
import dev.kerbex.protocol.FormBody;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The HTTP layer's part of issue 10, as Vert.x route handlers in front of every resource:
 * <ul>
 * <li>Security headers on every routed response: {@code X-Content-Type-Options: nosniff}; {@code Cache-Control:
 * no-store} on the OAuth endpoints, the admin API and every error answer; {@code Strict-Transport-Security} only over
 * TLS.</li>
 * <li>Request bodies are read here, on the event loop, into memory (at most {@link #BUFFER_LIMIT}), and handed to
 * the resources complete. quarkus-rest would otherwise read a blocking endpoint's body ({@code byte[] body}) on the
 * worker thread through a blocking stream, so every connection that sends headers and then stalls holds a worker
 * until {@code quarkus.http.read-timeout} (60 s) and then gets a 500: a few hundred of them starve the service.
 * Here a body that stops arriving for {@code kerbex.http.body-idle-timeout} is answered 408 and the connection
 * closed, and one over the limit is refused in the endpoint's format; either way one WARN line, no stack trace.</li>
 * <li>Failures the router reports itself (a malformed path, an unparsable request) are answered in the endpoint's
 * format: RFC 6749 §5.2 JSON on the OAuth endpoints, RFC 9457 problem+json elsewhere, never Quarkus's own page.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpHardening {
    private static final Logger LOG = Logger.getLogger(HttpHardening.class);
    /** What a request body may be before it is refused unread (the endpoints then apply their own 64 KiB). */
    public static final long BUFFER_LIMIT = OversizedBodies.BUFFER_LIMIT;
    /** The token, introspection and revocation endpoints: RFC 6749 error JSON and no-store (SPEC §4). */
    private static final Pattern OAUTH2 = Pattern.compile("^/tenants/[^/]*/oauth2/(token|introspect|revoke)/?$");
    private static final Pattern OAUTH2_ANYWHERE = Pattern.compile("/oauth2/(token|introspect|revoke)/?$");
    private static final String HSTS = "max-age=31536000";

    private final Vertx vertx;
    private final long idleTimeoutMillis;

    HttpHardening(Vertx vertx, KerbexConfig config) {
        this.vertx = vertx;
        this.idleTimeoutMillis = Math.max(1, config.http().bodyIdleTimeout().toMillis());
    }

    void install(@Observes Router router) {
        router.route().order(-2000).handler(this::headers);
        // After the declared-length checks (order -1000), which answer oversized bodies before reading any of them.
        router.route().order(-900).handler(this::readBody);
        router.route().order(-2000).failureHandler(this::failure);
    }

    /** True for the OAuth endpoints, whose answers are RFC 6749 JSON with no-store. */
    static boolean isOAuth(String path) {
        return path != null && OAUTH2_ANYWHERE.matcher(path).find();
    }

    private void headers(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.headers().contains(HttpHeaders.CONTENT_LENGTH) && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            // What the framing decoder refuses on HTTP/1.1 (HttpFraming), here for HTTP/1.0, whose Content-Length
            // Netty leaves beside a chunked Transfer-Encoding: RFC 9112 §6.1, refuse and close.
            LOG.warnf("%s %s from %s: both Content-Length and Transfer-Encoding; refused and the connection closed",
                    request.method(), request.path(), source(request));
            refuse(request, 400, HttpFraming.CONFLICT, true);
            return;
        }
        if (!HttpFraming.guarded(request)) {
            // A connection still framed by Vert.x's own decoder: one answer, then closed (RFC 9112 §6.1).
            ctx.addEndHandler(v -> request.connection().close());
        }
        String path = request.path();
        boolean ssl = request.isSSL();
        boolean noStore = isOAuth(path) || (path != null && path.startsWith("/admin/"));
        ctx.addHeadersEndHandler(v -> {
            HttpServerResponse response = ctx.response();
            response.headers().set("X-Content-Type-Options", "nosniff");
            if (!response.headers().contains(RequestIds.HEADER)) {
                // Answers given here, before any resource (408, refused bodies), carry one too.
                response.headers().set(RequestIds.HEADER, RequestIds.idFor(ctx.request().getHeader(RequestIds.HEADER)));
            }
            // An error is never worth caching, wherever it comes from (a 404 or 405 of any path included).
            if (noStore || response.getStatusCode() >= 400) {
                response.headers().set(HttpHeaders.CACHE_CONTROL, "no-store");
            }
            if (ssl) {
                response.headers().set("Strict-Transport-Security", HSTS);
            }
        });
        ctx.next();
    }

    private void readBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long declared = OversizedBodies.declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        // HTTP/2 streams are left to quarkus-rest: it pauses the request when it takes it over, which an HTTP/2
        // request refuses once it has ended ("Request has already been read"). HTTP/2 has per-stream flow control,
        // but a stalled HTTP/2 body still holds a worker (README "Known limits"). The token endpoint is no REST
        // resource: its bodies are read here on every version.
        if ((request.version() == HttpVersion.HTTP_2 && !TokenEndpoint.handles(request.path()))
                || request.isEnded() || ctx.body().available()
                || (declared <= 0 && !chunked)) {
            ctx.next();
            return;
        }
        new BodyRead(ctx, declared).start();
    }

    /** One body being read: appends chunks, restarts the idle timer on each, and hands over at its end. */
    private final class BodyRead {
        private final RoutingContext ctx;
        private final long declared;
        private final Buffer body;
        private long timer = -1;
        private boolean done;

        BodyRead(RoutingContext ctx, long declared) {
            this.ctx = ctx;
            this.declared = declared;
            this.body = Buffer.buffer((int) Math.min(Math.max(declared, 0), FormBody.MAX_BYTES));
        }

        void start() {
            HttpServerRequest request = ctx.request();
            request.handler(chunk -> {
                if (done) {
                    return;
                }
                if ((long) body.length() + chunk.length() > BUFFER_LIMIT) {
                    finish();
                    LOG.warnf("%s %s from %s: body exceeds %d bytes; refused and the connection closed",
                            request.method(), request.path(), source(request), BUFFER_LIMIT);
                    refuse(ctx, 413, "request body exceeds " + FormBody.MAX_BYTES + " bytes");
                    return;
                }
                body.appendBuffer(chunk);
                armTimer();
            });
            request.endHandler(v -> {
                if (done) {
                    return;
                }
                finish();
                ctx.setBody(body);
                ctx.next();
            });
            request.exceptionHandler(e -> {
                if (done) {
                    return;
                }
                finish();
                // A client that hangs up mid-body: nothing to answer, nothing to audit.
                LOG.warnf("%s %s from %s: connection lost after %d of %s body bytes (%s)", request.method(),
                        request.path(), source(request), body.length(), declared < 0 ? "chunked" : declared,
                        e.getClass().getSimpleName());
            });
            armTimer();
            request.resume();
        }

        private void armTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            timer = vertx.setTimer(idleTimeoutMillis, id -> {
                if (done) {
                    return;
                }
                finish();
                HttpServerRequest request = ctx.request();
                LOG.warnf("%s %s from %s: body stopped arriving after %d of %s bytes; answered 408 and closed",
                        request.method(), request.path(), source(request), body.length(),
                        declared < 0 ? "chunked" : declared);
                refuse(ctx, 408, "request body: not received in time");
            });
        }

        private void finish() {
            done = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }

    /** Failures the router itself reports (a status without a resource's answer): in the endpoint's format. */
    private void failure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        Throwable failure = ctx.failure();
        // Authentication and authorization failures (the admin API's bearer tokens) are quarkus-oidc's to answer,
        // with their challenge; so is any failure without a status, which Quarkus's own handlers map.
        if (ctx.statusCode() <= 0 || ctx.statusCode() == 401 || ctx.statusCode() == 403
                || (failure != null && failure.getClass().getName().startsWith("io.quarkus.security."))) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        if (status >= 500) {
            LOG.error("unhandled failure on " + ctx.request().method() + " " + ctx.request().path(), failure);
        } else {
            LOG.warnf("%s %s from %s: refused by the HTTP layer with %d%s", ctx.request().method(),
                    ctx.request().path(), source(ctx.request()), status,
                    failure == null ? "" : " (" + failure.getClass().getSimpleName() + ")");
        }
        refuse(ctx, status, describe(status));
    }

    /** Answers {@code status} in the endpoint's format; a refused body's connection is closed, not read to its end. */
    static void refuse(RoutingContext ctx, int status, String description) {
        refuse(ctx.request(), status, description, false);
    }

    /**
     * Answers {@code status} in the endpoint's format: RFC 6749 §5.2 JSON with no-store on the OAuth endpoints,
     * problem+json elsewhere. The connection is closed after the answer when {@code close}, on 408 and 413, and when
     * the body was not read to its end.
     */
    static void refuse(HttpServerRequest request, int status, String description, boolean close) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            request.connection().close();
            return;
        }
        boolean closing = close || status == 408 || status == 413 || !request.isEnded();
        String path = path(request);
        // Set here too: a failure before the header route ran (an unparsable Host) skips its headers-end hook.
        response.putHeader("X-Content-Type-Options", "nosniff");
        if (!response.headers().contains(RequestIds.HEADER)) {
            response.putHeader(RequestIds.HEADER, RequestIds.idFor(request.getHeader(RequestIds.HEADER)));
        }
        if (isOAuth(path)) {
            // RFC 6749 §5.2 has no code for an unreadable request but invalid_request; 5xx are the server's.
            String code = status >= 500 ? (status == 503 ? "temporarily_unavailable" : "server_error") : "invalid_request";
            int answered = status == 413 ? 400 : status;
            response.setStatusCode(answered)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader("Pragma", "no-cache");
            body(request, closing, "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}");
        } else {
            response.setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
            if (path != null && path.startsWith("/admin/")) {
                response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            }
            body(request, closing, "{\"type\":\"about:blank\",\"title\":\"" + title(status) + "\",\"status\":" + status
                    + ",\"detail\":\"" + description + "\"}");
        }
    }

    private static void body(HttpServerRequest request, boolean close, String json) {
        HttpServerResponse response = request.response();
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            // Closed right behind the answer, not when its write completes: a request pipelined behind this one (a
            // smuggled one, RFC 9112 §6.1) would otherwise be dispatched, and a fast route answered, in between.
            response.end(json);
            request.connection().close();
        } else {
            response.end(json);
        }
    }

    /** The request's path, or null when it cannot be read. */
    static String path(HttpServerRequest request) {
        try {
            return request.path();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String describe(int status) {
        return switch (status) {
            case 400 -> "request: malformed";
            case 404 -> "no such resource";
            case 405 -> "method not allowed";
            case 408 -> "request body: not received in time";
            case 413 -> "request body exceeds " + FormBody.MAX_BYTES + " bytes";
            case 414 -> "request URI too long";
            case 415 -> "unsupported media type";
            case 431 -> "request headers too large";
            case 503 -> "service temporarily unavailable, retry later";
            default -> status >= 500 ? "internal error" : "request refused";
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Request Refused";
        };
    }

    static String source(HttpServerRequest request) {
        return request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
    }
}
