package dev.kerbex.endpoint;

import dev.kerbex.introspection.TokenIntrospection;
import dev.kerbex.directory.TenantDirectory;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /tenants/{t}/oauth2/introspect} (RFC 7662). Thin, like the token endpoint ({@link IssuedTokenAnswers}). */
@Path("/tenants/{tenant}/oauth2/introspect")
public class IntrospectionEndpoint {
    private final TenantDirectory tenants;
    private final TokenIntrospection introspection;

    public IntrospectionEndpoint(TenantDirectory tenants, TokenIntrospection introspection) {
        this.tenants = tenants;
        this.introspection = introspection;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(@PathParam("tenant") String tenant, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context ContainerRequestContext ctx, @Context HttpServerRequest http) {
        return IssuedTokenAnswers.answer(tenants, tenant, body, contentType, authorization, ctx, http,
                (snapshot, in) -> Response.ok(introspection.introspect(snapshot, in), MediaType.APPLICATION_JSON_TYPE));
    }
}
