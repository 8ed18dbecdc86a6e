package dev.kerbex.admin;

import dev.kerbex.representation.PolicyRepresentation;
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
import java.util.List;

/** {@code /admin/v1/tenants/{t}/policies}: HTTP in and out of {@link PolicyAdmin}. */
@Path("/admin/v1/tenants/{tenant}/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PoliciesResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final PolicyAdmin policies;

    PoliciesResource(AdminSupport support, SecurityIdentity identity, PolicyAdmin policies) {
        this.support = support;
        this.identity = identity;
        this.policies = policies;
    }

    @GET
    public List<PolicyRepresentation> list(@PathParam("tenant") String tenant) {
        return policies.list(support.caller(identity), tenant);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return AdminResponses.ok(policies.get(support.caller(identity), tenant, id));
    }

    @GET
    @Path("{id}/revisions")
    public List<PolicyAdmin.RevisionRepresentation> revisions(@PathParam("tenant") String tenant,
            @PathParam("id") String id) {
        return policies.revisions(support.caller(identity), tenant, id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String tenant, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        Tagged<PolicyRepresentation> created = policies.create(support.operation(identity, http), tenant, body);
        return AdminResponses.created(support.location("/admin/v1/tenants/" + tenant + "/policies/"
                + created.body().id()), created);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        return AdminResponses.ok(policies.update(support.operation(identity, http), tenant, id, ifMatch, body));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context HttpServerRequest http) {
        policies.delete(support.operation(identity, http), tenant, id, ifMatch);
        return AdminResponses.noContent();
    }

    /** See {@link PolicyAdmin#restore}. */
    @POST
    @Path("{id}/revisions/{revision}/restore")
    public Response restore(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @PathParam("revision") String revision, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Context HttpServerRequest http) {
        return AdminResponses.ok(policies.restore(support.operation(identity, http), tenant, id, revision, ifMatch));
    }
}
