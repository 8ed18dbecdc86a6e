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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code /admin/v1/tenants/{t}/clients}: HTTP in and out of {@link ClientAdmin}. */
@Path("/admin/v1/tenants/{tenant}/clients")
@Produces(MediaType.APPLICATION_JSON)
public class ClientsResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final ClientAdmin clients;

    ClientsResource(AdminSupport support, SecurityIdentity identity, ClientAdmin clients) {
        this.support = support;
        this.identity = identity;
        this.clients = clients;
    }

    @GET
    public Response list(@PathParam("tenant") String tenant) {
        return AdminResponses.ok(clients.list(support.caller(identity), tenant));
    }

    @GET
    @Path("{client}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("client") String clientId) {
        return AdminResponses.ok(clients.get(support.caller(identity), tenant, clientId));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String tenant, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        Tagged<ClientAdmin.ClientView> created = clients.create(support.operation(identity, http), tenant, body);
        return AdminResponses.created(support.location("/admin/v1/tenants/" + tenant + "/clients/"
                + URLEncoder.encode(created.body().clientId(), StandardCharsets.UTF_8).replace("+", "%20")), created);
    }

    @PUT
    @Path("{client}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @PathParam("client") String clientId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        return AdminResponses.ok(clients.update(support.operation(identity, http), tenant, clientId, ifMatch, body));
    }

    /** See {@link ClientAdmin#rotateSecret}. */
    @POST
    @Path("{client}/secret")
    public Response rotate(@PathParam("tenant") String tenant, @PathParam("client") String clientId,
            @Context HttpServerRequest http) {
        return AdminResponses.ok(clients.rotateSecret(support.operation(identity, http), tenant, clientId));
    }

    @DELETE
    @Path("{client}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("client") String clientId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context HttpServerRequest http) {
        clients.delete(support.operation(identity, http), tenant, clientId, ifMatch);
        return AdminResponses.noContent();
    }
}
