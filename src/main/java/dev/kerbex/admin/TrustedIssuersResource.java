package dev.kerbex.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** {@code /admin/v1/tenants/{t}/trusted-issuers}: HTTP in and out of {@link TrustedIssuerAdmin}. */
@Path("/admin/v1/tenants/{tenant}/trusted-issuers")
@Produces(MediaType.APPLICATION_JSON)
public class TrustedIssuersResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final TrustedIssuerAdmin issuers;

    TrustedIssuersResource(AdminSupport support, SecurityIdentity identity, TrustedIssuerAdmin issuers) {
        this.support = support;
        this.identity = identity;
        this.issuers = issuers;
    }

    @GET
    public Response list(@PathParam("tenant") String tenant) {
        return AdminResponses.ok(issuers.list(support.caller(identity), tenant));
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return AdminResponses.ok(issuers.get(support.caller(identity), tenant, id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String tenant, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        Tagged<TrustedIssuerAdmin.TrustedIssuerView> created = issuers.create(support.operation(identity, http), tenant,
                body);
        return AdminResponses.created(support.location("/admin/v1/tenants/" + tenant + "/trusted-issuers/"
                + created.body().id()), created);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        return AdminResponses.ok(issuers.update(support.operation(identity, http), tenant, id, ifMatch, body));
    }

    /** See {@link TrustedIssuerAdmin#delete}. */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context HttpServerRequest http) {
        issuers.delete(support.operation(identity, http), tenant, id, ifMatch);
        return AdminResponses.noContent();
    }
}
