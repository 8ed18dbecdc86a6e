package dev.kerbex.endpoint;

import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.introspection.TokenIntrospection;
import dev.kerbex.introspection.TokenRevocation;
import dev.kerbex.tenant.TenantDirectory;
import dev.kerbex.tenant.TenantSnapshot;
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
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code POST /tenants/{t}/oauth2/introspect} (RFC 7662) and {@code POST /tenants/{t}/oauth2/revoke} (RFC 7009), the
 * two calls about a token the tenant issued. Thin, like the token endpoint: the raw body goes below, where it is
 * parsed, so that repeated parameters and malformed bodies are ours to judge and audit.
 */
@Path("/tenants/{tenant}/oauth2")
public class IssuedTokenEndpoints {
    private final TenantDirectory tenants;
    private final TokenIntrospection introspection;
    private final TokenRevocation revocation;

    public IssuedTokenEndpoints(TenantDirectory tenants, TokenIntrospection introspection, TokenRevocation revocation) {
        this.tenants = tenants;
        this.introspection = introspection;
        this.revocation = revocation;
    }

    @POST
    @Path("introspect")
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(@PathParam("tenant") String tenant, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context ContainerRequestContext ctx, @Context HttpServerRequest http) {
        return answer(tenant, body, contentType, authorization, ctx, http,
                (snapshot, in) -> Response.ok(introspection.introspect(snapshot, in), MediaType.APPLICATION_JSON_TYPE));
    }

    /** RFC 7009 §2.2: 200 with no content, whether or not there was anything to revoke. */
    @POST
    @Path("revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("tenant") String tenant, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context ContainerRequestContext ctx, @Context HttpServerRequest http) {
        return answer(tenant, body, contentType, authorization, ctx, http, (snapshot, in) -> {
            revocation.revoke(snapshot, in);
            return Response.ok();
        });
    }

    /** An unknown tenant is 404 problem+json, not audited (there is no trail to write to); every answer is no-store. */
    private Response answer(String tenant, byte[] body, String contentType, String authorization,
            ContainerRequestContext ctx, HttpServerRequest http,
            BiFunction<TenantSnapshot, ExchangeInput, Response.ResponseBuilder> call) {
        Optional<TenantSnapshot> snapshot = tenants.find(tenant);
        if (snapshot.isEmpty()) {
            return Response.fromResponse(ErrorMappers.problem(Response.Status.NOT_FOUND, "Not Found", "no such tenant"))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        ExchangeInput in = new ExchangeInput(tenant, TokenEndpoint.isForm(contentType), body == null ? new byte[0] : body,
                authorization, RequestIds.sourceAddress(http), RequestIds.of(ctx));
        return call.apply(snapshot.get(), in).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache")
                .build();
    }
}
