package dev.kerbex.endpoint;

import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.introspection.TokenIntrospection;
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
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /tenants/{t}/oauth2/introspect} (RFC 7662). Thin, like the token endpoint: the raw body goes below,
 * where it is parsed, so that repeated parameters and malformed bodies are ours to judge and audit.
 */
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
        Optional<TenantSnapshot> snapshot = tenants.find(tenant);
        if (snapshot.isEmpty()) {
            return unknownTenant();
        }
        Map<String, Object> answer = introspection.introspect(snapshot.get(), input(tenant, body, contentType,
                authorization, ctx, http));
        return noStore(Response.ok(answer, MediaType.APPLICATION_JSON_TYPE));
    }

    static ExchangeInput input(String tenant, byte[] body, String contentType, String authorization,
            ContainerRequestContext ctx, HttpServerRequest http) {
        return new ExchangeInput(tenant, TokenEndpoint.isForm(contentType), body == null ? new byte[0] : body,
                authorization, RequestIds.sourceAddress(http), RequestIds.of(ctx));
    }

    static Response unknownTenant() {
        return Response.fromResponse(ErrorMappers.problem(Response.Status.NOT_FOUND, "Not Found", "no such tenant"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    static Response noStore(Response.ResponseBuilder r) {
        return r.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
