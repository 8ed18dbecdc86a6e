package dev.kerbex.endpoint;

import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * Every request gets an id: the caller's {@code X-Request-Id} when it is a sane token, else a fresh UUID.
 * It is echoed in the response, put in the log context and written to the audit trail.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    static final String PROPERTY = "kerbex.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext ctx) {
        String id = idFor(ctx.getHeaderString(HEADER));
        ctx.setProperty(PROPERTY, id);
        MDC.put("request_id", id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
        MDC.remove("request_id");
    }

    /** The caller's id when it is sane, else a fresh UUID. */
    static String idFor(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    static String of(ContainerRequestContext ctx) {
        Object id = ctx.getProperty(PROPERTY);
        return id == null ? UUID.randomUUID().toString() : id.toString();
    }

    static String sourceAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
