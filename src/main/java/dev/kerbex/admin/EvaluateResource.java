package dev.kerbex.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** {@code POST /admin/v1/tenants/{t}/evaluate}: HTTP in and out of {@link EvaluateAdmin}. */
@Path("/admin/v1/tenants/{tenant}/evaluate")
public class EvaluateResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final EvaluateAdmin evaluations;

    EvaluateResource(AdminSupport support, SecurityIdentity identity, EvaluateAdmin evaluations) {
        this.support = support;
        this.identity = identity;
        this.evaluations = evaluations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public EvaluateAdmin.EvaluateResponse evaluate(@PathParam("tenant") String tenant, InputStream input) {
        byte[] body = StrictJson.bytes(input);
        return evaluations.evaluate(support.caller(identity), tenant, body);
    }
}
