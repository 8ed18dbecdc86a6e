package dev.kerbex.admin;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes {@link AdminProblem}s; admin answers are never cached (they depend on the caller's roles). */
public final class AdminProblemMapper {
    @ServerExceptionMapper
    public Response problem(AdminProblem p) {
        return Response.status(p.status()).type("application/problem+json").entity(p.body())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
