package dev.kerbex.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose declared {@code Content-Length} is beyond what the HTTP layer buffers would otherwise get Vert.x's
 * bare 413. The token endpoints and the admin API each answer it in their own format, before any of the body is read
 * (no blocking work on the event loop, so it cannot be audited); both decide "too large" here, once.
 */
public final class OversizedBodies {
    /** What the HTTP layer buffers of a body (Quarkus's default {@code limits.max-body-size}). */
    public static final long BUFFER_LIMIT = 1024 * 1024;

    private OversizedBodies() {
    }

    /** Whether the request declares a body longer than {@link #BUFFER_LIMIT}. A chunked body declares none. */
    public static boolean declaredTooLarge(HttpServerRequest request) {
        return declaredLength(request.getHeader("Content-Length")) > BUFFER_LIMIT;
    }

    /** The declared {@code Content-Length}, or -1 when there is none or it is not a number. */
    public static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Answers with {@code body}, never cached, and closes the connection: the unread body is not drained. */
    public static void refuse(RoutingContext ctx, int status, String contentType, String body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", contentType)
                .putHeader("Cache-Control", "no-store")
                .putHeader("Connection", "close")
                .end(body);
    }
}
