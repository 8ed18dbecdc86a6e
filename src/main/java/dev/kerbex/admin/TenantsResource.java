package dev.kerbex.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.bootstrap.TenantProvisioner;
import dev.kerbex.bootstrap.TenantValidator;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.TenantRepresentation;
import dev.kerbex.store.AdminStore;
import dev.kerbex.store.UniqueViolation;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantDirectory;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /admin/v1/tenants}: tenant settings (SPEC §8). Clients, issuers and policies have their own resources. */
@Path("/admin/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantsResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final AdminStore store;
    private final TenantDirectory directory;
    private final ObjectMapper json;
    private final Duration defaultLifetime;

    TenantsResource(AdminSupport support, SecurityIdentity identity, AdminStore store, TenantDirectory directory, ObjectMapper json,
            KerbexConfig config) {
        this.support = support;
        this.identity = identity;
        this.store = store;
        this.directory = directory;
        this.json = json;
        this.defaultLifetime = config.tokens().defaultMaxLifetime();
    }

    /** Only the tenants the caller has a role for. */
    @GET
    public List<TenantRepresentation> list() {
        AdminCaller caller = support.caller(identity);
        return store.tenants().stream().filter(t -> caller.mayRead(t.tenant().id()))
                .map(t -> representation(t.tenant())).toList();
    }

    @GET
    @Path("{tenant}")
    public Response get(@PathParam("tenant") String tenant) {
        support.mayRead(support.caller(identity), tenant);
        AdminStore.StoredTenant t = store.tenant(tenant).orElseThrow(AdminProblem::notFound);
        return Response.ok(representation(t.tenant())).tag(new jakarta.ws.rs.core.EntityTag(Long.toString(t.version())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        AdminCaller caller = support.caller(identity);
        if (!caller.isAdmin()) {
            throw AdminProblem.forbidden("only kerbex-admin creates tenants");
        }
        AdminOperation op = new AdminOperation(caller, AdminSupport.requestId(), AdminSupport.source(http));
        TenantRepresentation r = null;
        try {
            r = StrictJson.read(body, TenantRepresentation.class);
            List<FieldError> errors = validate(r, null);
            if (!errors.isEmpty()) {
                throw AdminProblem.invalid(errors);
            }
        } catch (AdminProblem p) {
            // Audited under the tenant it names, when that is a well-formed id; otherwise there is no trail for it.
            if (r != null && r.id() != null && TenantDirectory.TENANT_ID.matcher(r.id()).matches()) {
                throw support.refused(p, op, r.id(), null, "create", "tenant");
            }
            throw p;
        }
        Tenant tenant = toTenant(r);
        ObjectNode d = support.details("create", "tenant").put("tenant", tenant.id());
        d.set("after", json.valueToTree(representation(tenant)));
        AdminStore.Write<AdminStore.StoredTenant> w;
        try {
            w = store.createTenant(tenant, support.change(op, "create tenant", d));
        } catch (RuntimeException e) {
            if (!UniqueViolation.isCause(e)) {
                throw e;
            }
            w = AdminStore.Write.of(AdminStore.Status.CONFLICT); // a concurrent create of the same id won
        }
        if (w.status() == AdminStore.Status.CONFLICT) {
            throw support.refused(AdminProblem.conflict("a tenant with this id exists"), op, tenant.id(), null,
                    "create", "tenant");
        }
        directory.invalidate(tenant.id());
        return Response.created(support.location("/admin/v1/tenants/" + tenant.id())).entity(representation(w.value().tenant()))
                .tag(new jakarta.ws.rs.core.EntityTag(Long.toString(w.value().version())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @PUT
    @Path("{tenant}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        AdminOperation op = support.writer(identity, tenant, http);
        try {
            AdminStore.StoredTenant before = store.tenant(tenant).orElseThrow(AdminProblem::notFound);
            long expected = support.expectedVersion(ifMatch, before.version());
            TenantRepresentation r = StrictJson.read(body, TenantRepresentation.class);
            List<FieldError> errors = validate(r, tenant);
            if (!errors.isEmpty()) {
                throw AdminProblem.invalid(errors);
            }
            Tenant updated = toTenant(new TenantRepresentation(tenant, r.realms(), r.services(), r.enctypes(),
                    r.maxTokenLifetime(), r.s4u(), null, null, null, r.groupNames()));
            ObjectNode d = support.details("update", "tenant").put("tenant", tenant);
            d.set("before", json.valueToTree(representation(before.tenant())));
            d.set("after", json.valueToTree(representation(updated)));
            AdminStore.Write<AdminStore.StoredTenant> w = store.updateTenant(updated, expected,
                    support.change(op, "update tenant", d));
            AdminProblem.requireFound(w);
            directory.invalidate(tenant);
            return Response.ok(representation(w.value().tenant()))
                    .tag(new jakarta.ws.rs.core.EntityTag(Long.toString(w.value().version())))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, null, "update", "tenant");
        }
    }

    /** Settings only: the nested lists belong to the declarative file and to their own resources. */
    private static List<FieldError> validate(TenantRepresentation r, String pathId) {
        List<FieldError> errors = new ArrayList<>();
        if (pathId != null && r.id() != null && !r.id().equals(pathId)) {
            errors.add(new FieldError("/id", "must equal the tenant id in the path, or be left out"));
        }
        TenantRepresentation checked = pathId == null ? r : new TenantRepresentation(pathId, r.realms(), r.services(),
                r.enctypes(), r.maxTokenLifetime(), r.s4u(), null, null, null, r.groupNames());
        errors.addAll(TenantValidator.validate(checked, Set.of()).stream()
                .filter(e -> !e.pointer().startsWith("/clients") && !e.pointer().startsWith("/trusted_issuers")
                        && !e.pointer().startsWith("/policies"))
                .toList());
        if (r.clients() != null) {
            errors.add(new FieldError("/clients", "not part of this resource"));
        }
        if (r.trustedIssuers() != null) {
            errors.add(new FieldError("/trusted_issuers", "not part of this resource"));
        }
        if (r.policies() != null) {
            errors.add(new FieldError("/policies", "not part of this resource; use /admin/v1/tenants/{t}/policies"));
        }
        return errors;
    }

    private Tenant toTenant(TenantRepresentation r) {
        Duration lifetime = r.maxTokenLifetime() == null ? defaultLifetime : Duration.parse(r.maxTokenLifetime());
        Tenant.S4uSettings s4u = r.s4u() == null ? null
                : new Tenant.S4uSettings(r.s4u().principal(), r.s4u().keytab(), r.s4u().defaultRealm());
        List<String> enctypes = r.enctypes() == null || r.enctypes().isEmpty() ? TenantProvisioner.DEFAULT_ENCTYPES
                : r.enctypes();
        return new Tenant(r.id(), r.realms(), r.services() == null ? List.of() : r.services(), enctypes, lifetime, s4u,
                r.groupNames());
    }

    static TenantRepresentation representation(Tenant t) {
        TenantRepresentation.S4u s4u = t.s4u() == null ? null
                : new TenantRepresentation.S4u(t.s4u().principal(), t.s4u().keytab(), t.s4u().defaultRealm());
        return new TenantRepresentation(t.id(), t.realms(), t.services(), t.enctypes(), t.maxTokenLifetime().toString(),
                s4u, null, null, null, t.groupNames());
    }
}
