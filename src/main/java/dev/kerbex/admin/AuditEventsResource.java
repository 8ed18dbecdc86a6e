package dev.kerbex.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /admin/v1/tenants/{t}/audit-events}: HTTP in and out of {@link AuditEventAdmin}. */
@Path("/admin/v1/tenants/{tenant}/audit-events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventsResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final AuditEventAdmin events;

    AuditEventsResource(AdminSupport support, SecurityIdentity identity, AuditEventAdmin events) {
        this.support = support;
        this.identity = identity;
        this.events = events;
    }

    @GET
    public Response list(@PathParam("tenant") String tenant, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("outcome") String outcome,
            @QueryParam("client_id") String clientId, @QueryParam("subject") String subject,
            @QueryParam("audience") String audience, @QueryParam("kind") String kind,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return AdminResponses.ok(events.list(support.caller(identity), tenant, new AuditEventAdmin.Filter(from, to,
                outcome, clientId, subject, audience, kind, limit, cursor)));
    }
}
