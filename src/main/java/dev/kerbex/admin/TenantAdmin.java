package dev.kerbex.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.TenantRepresentation;
import dev.kerbex.representation.TenantValidator;
import dev.kerbex.store.TenantRepository.StoredTenant;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.Write;
import dev.kerbex.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Tenant settings (SPEC §8). Clients, issuers and policies have their own services. */
@ApplicationScoped
class TenantAdmin {
    private final AdminSupport support;
    private final AdminWrites writes;
    private final TenantRepository tenants;
    private final ObjectMapper json;
    private final Duration defaultLifetime;

    TenantAdmin(AdminSupport support, AdminWrites writes, TenantRepository tenants, ObjectMapper json,
            KerbexConfig config) {
        this.support = support;
        this.writes = writes;
        this.tenants = tenants;
        this.json = json;
        this.defaultLifetime = config.tokens().defaultMaxLifetime();
    }

    /** Only the tenants the caller has a role for. */
    List<TenantRepresentation> list(AdminCaller caller) {
        return tenants.all().stream().filter(t -> caller.mayRead(t.tenant().id()))
                .map(t -> representation(t.tenant())).toList();
    }

    Tagged<TenantRepresentation> get(AdminCaller caller, String tenant) {
        support.mayRead(caller, tenant);
        return tagged(tenants.find(tenant).orElseThrow(AdminProblem::notFound));
    }

    Tagged<TenantRepresentation> create(AdminOperation op, byte[] body) {
        if (!op.caller().isAdmin()) {
            throw AdminProblem.forbidden("only kerbex-admin creates tenants");
        }
        TenantRepresentation r = null;
        try {
            r = StrictJson.read(body, TenantRepresentation.class);
            List<FieldError> errors = validate(r, null);
            if (!errors.isEmpty()) {
                throw AdminProblem.invalid(errors);
            }
        } catch (AdminProblem p) {
            // Audited under the tenant it names, when that is a well-formed id; otherwise there is no trail for it.
            if (r != null && r.id() != null && Tenant.ID.matcher(r.id()).matches()) {
                throw writes.refused(p, op, r.id(), null, "create", "tenant");
            }
            throw p;
        }
        Tenant tenant = toTenant(r);
        return writes.auditingRefusals(op, tenant.id(), null, "create", "tenant", () -> {
            ObjectNode d = support.details("create", "tenant").put("tenant", tenant.id());
            d.set("after", json.valueToTree(representation(tenant)));
            return tagged(writes.commit(op, tenant.id(), new AdminWrites.Change("create tenant", d),
                    () -> tenants.create(tenant), Write.Status.CONFLICT,
                    () -> AdminProblem.conflict("a tenant with this id exists"), null));
        });
    }

    Tagged<TenantRepresentation> update(AdminOperation op, String tenant, String ifMatch, byte[] body) {
        support.mayWrite(op.caller(), tenant);
        return writes.auditingRefusals(op, tenant, null, "update", "tenant", () -> {
            StoredTenant before = tenants.find(tenant).orElseThrow(AdminProblem::notFound);
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
            return tagged(writes.commit(op, tenant, new AdminWrites.Change("update tenant", d),
                    () -> tenants.update(updated, expected)));
        });
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
        return r.toTenant(defaultLifetime);
    }

    private static Tagged<TenantRepresentation> tagged(StoredTenant t) {
        return new Tagged<>(representation(t.tenant()), t.version());
    }

    private static TenantRepresentation representation(Tenant t) {
        return TenantRepresentation.of(t);
    }
}
