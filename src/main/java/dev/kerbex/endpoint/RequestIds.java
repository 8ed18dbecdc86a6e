package dev.kerbex.endpoint;

import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import java.util.regex.Pattern;
import dev.kerbex.observability.LogContext;
import dev.kerbex.observability.Traces;
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
        LogContext.requestId(id);
        Traces.tagRequest(id);
        LogContext.tenant(tenantOf(ctx.getUriInfo().getPath()));
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
        LogContext.clear();
    }

    /**
     * The tenant a path names ({@code /tenants/{t}/...} or {@code /admin/v1/tenants/{t}/...}) when it is a well-formed
     * tenant id (SPEC §2), else null: what goes into the log context is never free text from the caller.
     */
    static String tenantOf(String path) {
        if (path == null) {
            return null;
        }
        int start = path.startsWith("/tenants/") ? 9 : path.startsWith("/admin/v1/tenants/") ? 18 : -1;
        if (start < 0) {
            return null;
        }
        int end = path.indexOf('/', start);
        if (end < 0) {
            end = path.length();
        }
        if (end == start || end - start > 63) {
            return null;
        }
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > start;
            if (!ok) {
                return null;
            }
        }
        return path.substring(start, end);
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
