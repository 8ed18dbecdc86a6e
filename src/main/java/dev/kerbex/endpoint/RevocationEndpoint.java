package dev.kerbex.endpoint;

import dev.kerbex.introspection.TokenRevocation;
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

/** {@code POST /tenants/{t}/oauth2/revoke} (RFC 7009). Thin, like the token endpoint ({@link IssuedTokenAnswers}). */
@Path("/tenants/{tenant}/oauth2/revoke")
public class RevocationEndpoint {
    private final TenantDirectory tenants;
    private final TokenRevocation revocation;

    public RevocationEndpoint(TenantDirectory tenants, TokenRevocation revocation) {
        this.tenants = tenants;
        this.revocation = revocation;
    }

    /** RFC 7009 §2.2: 200 with no content, whether or not there was anything to revoke. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("tenant") String tenant, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context ContainerRequestContext ctx, @Context HttpServerRequest http) {
        return IssuedTokenAnswers.answer(tenants, tenant, body, contentType, authorization, ctx, http, (snapshot, in) -> {
            revocation.revoke(snapshot, in);
            return Response.ok();
        });
    }
}
