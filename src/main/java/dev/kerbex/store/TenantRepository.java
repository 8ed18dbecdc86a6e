package dev.kerbex.store;

import static dev.kerbex.store.Guarded.em;

import dev.kerbex.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Tenants' settings, with their version (the admin API's ETag). Entities stay here; records leave. */
@ApplicationScoped
public class TenantRepository {

    public record StoredTenant(Tenant tenant, long version) {
    }

    @Transactional
    public List<StoredTenant> all() {
        return em().createQuery("from TenantEntity order by id", TenantEntity.class).getResultList().stream()
                .map(TenantRepository::toStored).toList();
    }

    @Transactional
    public Optional<StoredTenant> find(String id) {
        if (id == null || !Tenant.ID.matcher(id).matches()) {
            return Optional.empty(); // never a tenant, and a NUL in it would fail the query
        }
        return Optional.ofNullable(em().find(TenantEntity.class, id)).map(TenantRepository::toStored);
    }

    @Transactional
    public boolean exists(String tenantId) {
        return em().find(TenantEntity.class, tenantId) != null;
    }

    /** Creates a tenant; CONFLICT when the id is taken. */
    @Transactional
    public Write<StoredTenant> create(Tenant tenant) {
        if (em().find(TenantEntity.class, tenant.id()) != null) {
            return Write.of(Write.Status.CONFLICT);
        }
        upsert(tenant);
        em().flush();
        return Write.done(toStored(em().find(TenantEntity.class, tenant.id())));
    }

    /** Updates a tenant's settings when its version is still {@code expectedVersion}. */
    @Transactional
    public Write<StoredTenant> update(Tenant tenant, long expectedVersion) {
        return Guarded.write(TenantEntity.class, tenant.id(), e -> true, e -> e.version, expectedVersion, e -> {
            apply(e, tenant, Instant.now());
            return Write.Status.DONE;
        }, TenantRepository::toStored);
    }

    /** Creates or updates a tenant by id (the declarative file); true when something changed. */
    @Transactional
    public boolean upsert(Tenant tenant) {
        TenantEntity e = em().find(TenantEntity.class, tenant.id());
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = new TenantEntity();
            e.id = tenant.id();
            e.createdAt = now;
        } else if (e.realms.equals(tenant.realms()) && e.services.equals(tenant.services())
                && e.enctypes.equals(tenant.enctypes())
                && e.maxTokenLifetimeSeconds == (int) tenant.maxTokenLifetime().toSeconds()
                && Objects.equals(e.s4u, s4uMap(tenant.s4u()))
                && tenant.groupNames().equals(e.groupNames == null ? Map.of() : e.groupNames)) {
            return false;
        }
        apply(e, tenant, now);
        if (created) {
            em().persist(e);
        }
        return true;
    }

    /** Tells every replica, when the caller's transaction commits, that the tenant changed ({@link ChangeFeed}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announceChange(String tenantId) {
        ChangeFeed.announce(em(), tenantId);
    }

    private static void apply(TenantEntity e, Tenant tenant, Instant now) {
        e.realms = tenant.realms();
        e.services = tenant.services();
        e.enctypes = tenant.enctypes();
        e.maxTokenLifetimeSeconds = (int) tenant.maxTokenLifetime().toSeconds();
        e.s4u = s4uMap(tenant.s4u());
        e.groupNames = tenant.groupNames();
        e.updatedAt = now;
    }

    static Tenant toTenant(TenantEntity e) {
        Tenant.S4uSettings s4u = e.s4u == null ? null : new Tenant.S4uSettings((String) e.s4u.get("principal"),
                (String) e.s4u.get("keytab"), (String) e.s4u.get("default_realm"));
        return new Tenant(e.id, e.realms, e.services, e.enctypes, Duration.ofSeconds(e.maxTokenLifetimeSeconds), s4u,
                e.groupNames);
    }

    private static StoredTenant toStored(TenantEntity e) {
        return new StoredTenant(toTenant(e), e.version);
    }

    private static Map<String, Object> s4uMap(Tenant.S4uSettings s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new HashMap<>();
        m.put("principal", s.principal());
        m.put("keytab", s.keytab());
        m.put("default_realm", s.defaultRealm());
        return m;
    }
}
