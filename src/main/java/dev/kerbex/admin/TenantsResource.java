package dev.kerbex.admin;

import dev.kerbex.representation.TenantRepresentation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/** {@code /admin/v1/tenants}: HTTP in and out of {@link TenantAdmin}. */
@Path("/admin/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantsResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final TenantAdmin tenants;

    TenantsResource(AdminSupport support, SecurityIdentity identity, TenantAdmin tenants) {
        this.support = support;
        this.identity = identity;
        this.tenants = tenants;
    }

    @GET
    public List<TenantRepresentation> list() {
        return tenants.list(support.caller(identity));
    }

    @GET
    @Path("{tenant}")
    public Response get(@PathParam("tenant") String tenant) {
        return AdminResponses.ok(tenants.get(support.caller(identity), tenant));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        Tagged<TenantRepresentation> created = tenants.create(support.operation(identity, http), body);
        return AdminResponses.created(support.location("/admin/v1/tenants/" + created.body().id()), created);
    }

    @PUT
    @Path("{tenant}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        return AdminResponses.ok(tenants.update(support.operation(identity, http), tenant, ifMatch, body));
    }
}
