package dev.kerbex.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /admin/v1/tenants/{t}/keys}: HTTP in and out of {@link KeyAdmin}. */
@Path("/admin/v1/tenants/{tenant}/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final KeyAdmin keys;

    KeysResource(AdminSupport support, SecurityIdentity identity, KeyAdmin keys) {
        this.support = support;
        this.identity = identity;
        this.keys = keys;
    }

    @GET
    public Response list(@PathParam("tenant") String tenant) {
        return AdminResponses.ok(keys.list(support.caller(identity), tenant));
    }

    /** See {@link KeyAdmin#rotate}. */
    @POST
    @Path("rotate")
    public Response rotate(@PathParam("tenant") String tenant, @Context HttpServerRequest http) {
        KeyAdmin.KeyView fresh = keys.rotate(support.operation(identity, http), tenant);
        return AdminResponses.created(support.location("/admin/v1/tenants/" + tenant + "/keys"), fresh);
    }
}
