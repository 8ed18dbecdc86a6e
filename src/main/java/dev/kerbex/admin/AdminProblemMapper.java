package dev.kerbex.admin;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes {@link AdminProblem}s; admin answers are never cached (they depend on the caller's roles). */
public final class AdminProblemMapper {
    @ServerExceptionMapper
    public Response problem(AdminProblem p, HttpServerRequest request) {
        Response.ResponseBuilder r = Response.status(p.status()).type("application/problem+json").entity(p.body())
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (request != null && !request.isEnded()) {
            // An oversized body was left unread (StrictJson.bytes): close rather than read the rest of it.
            r.header("Connection", "close");
        }
        return r.build();
    }
}
