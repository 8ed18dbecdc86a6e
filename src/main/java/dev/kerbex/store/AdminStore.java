package dev.kerbex.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.client.OAuthClient;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.tenant.Tenant;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The admin API's reads and guarded writes (SPEC §8). Every write checks the caller's entity tag under a row
 * lock, keeps an immutable policy revision, and writes its admin audit event and its change notification
 * ({@link ChangeFeed}) in the same transaction: a change, its audit row and its announcement to the other replicas
 * are committed together or not at all.
 */
@ApplicationScoped
public class AdminStore {

    /** A stored policy's current state; {@code document} is its JSON without id and revision. */
    public record StoredPolicy(String id, int revision, String name, String document) {
    }

    /** One immutable row of a policy's history; {@code document} is null for a deletion. */
    public record Revision(int revision, String name, String document, boolean deleted, String author,
            Instant createdAt) {
    }

    public record StoredTenant(Tenant tenant, long version) {
    }

    /** Who made a change, for the audit event; {@code details} is a JSON object saying what changed. */
    public record Change(String actor, String requestId, String sourceAddress, String reason, String details) {
    }

    public enum Status {
        DONE, NOT_FOUND, STALE, CONFLICT
    }

    public record Write<T>(Status status, T value) {
        public static <T> Write<T> of(Status status) {
            return new Write<>(status, null);
        }
    }

    private final TenantStore tenants;
    private final ObjectMapper json;

    public AdminStore(TenantStore tenants, ObjectMapper json) {
        this.tenants = tenants;
        this.json = json;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    // ---- tenants

    @Transactional
    public List<StoredTenant> tenants() {
        return em().createQuery("from TenantEntity order by id", TenantEntity.class).getResultList().stream()
                .map(AdminStore::toStored).toList();
    }

    @Transactional
    public Optional<StoredTenant> tenant(String id) {
        if (id == null || !dev.kerbex.tenant.TenantDirectory.TENANT_ID.matcher(id).matches()) {
            return Optional.empty(); // never a tenant, and a NUL in it would fail the query
        }
        return Optional.ofNullable(em().find(TenantEntity.class, id)).map(AdminStore::toStored);
    }

    /** Creates a tenant; CONFLICT when the id is taken. */
    @Transactional
    public Write<StoredTenant> createTenant(Tenant tenant, Change change) {
        if (em().find(TenantEntity.class, tenant.id()) != null) {
            return Write.of(Status.CONFLICT);
        }
        tenants.upsertTenant(tenant);
        em().flush();
        audit(tenant.id(), "success", null, null, change);
        return new Write<>(Status.DONE, toStored(em().find(TenantEntity.class, tenant.id())));
    }

    /** Updates a tenant's settings when its version is still {@code expectedVersion}. */
    @Transactional
    public Write<StoredTenant> updateTenant(Tenant tenant, long expectedVersion, Change change) {
        TenantEntity e = em().find(TenantEntity.class, tenant.id(), LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.version != expectedVersion) {
            return Write.of(Status.STALE);
        }
        e.realms = tenant.realms();
        e.services = tenant.services();
        e.enctypes = tenant.enctypes();
        e.maxTokenLifetimeSeconds = (int) tenant.maxTokenLifetime().toSeconds();
        e.s4u = tenant.s4u() == null ? null : s4uMap(tenant.s4u());
        e.groupNames = tenant.groupNames();
        e.updatedAt = Instant.now();
        em().flush();
        audit(tenant.id(), "success", null, null, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    // ---- policies

    @Transactional
    public List<StoredPolicy> policies(String tenantId) {
        return em().createQuery("from PolicyEntity where tenantId = ?1 order by name", PolicyEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(AdminStore::toStored).toList();
    }

    @Transactional
    public Optional<StoredPolicy> policy(String tenantId, UUID id) {
        PolicyEntity e = em().find(PolicyEntity.class, id);
        return e == null || !e.tenantId.equals(tenantId) ? Optional.empty() : Optional.of(toStored(e));
    }

    /** The whole history, oldest first; also after the policy was deleted. Empty when it never existed here. */
    @Transactional
    public List<Revision> revisions(String tenantId, UUID id) {
        return em().createQuery("from PolicyRevisionEntity where tenantId = ?1 and policyId = ?2 order by revision",
                PolicyRevisionEntity.class).setParameter(1, tenantId).setParameter(2, id).getResultList().stream()
                .map(r -> new Revision(r.revision, r.name, r.document, r.deleted, r.author, r.createdAt)).toList();
    }

    /** Creates a policy at revision 1; CONFLICT when the tenant already has one of that name. */
    @Transactional
    public Write<StoredPolicy> createPolicy(String tenantId, String name, String document, Change change) {
        if (nameTaken(tenantId, name, null)) {
            return Write.of(Status.CONFLICT);
        }
        PolicyEntity e = new PolicyEntity();
        e.id = UUID.randomUUID();
        e.tenantId = tenantId;
        e.name = name;
        e.revision = 1;
        e.document = document;
        e.createdAt = Instant.now();
        e.updatedAt = e.createdAt;
        em().persist(e);
        revision(e, false, change.actor());
        em().flush();
        audit(tenantId, "success", e.id, e.revision, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    /** Replaces a policy's document when its revision is still {@code expectedRevision}. */
    @Transactional
    public Write<StoredPolicy> updatePolicy(String tenantId, UUID id, int expectedRevision, String name, String document,
            Change change) {
        PolicyEntity e = em().find(PolicyEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !e.tenantId.equals(tenantId)) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.revision != expectedRevision) {
            return Write.of(Status.STALE);
        }
        if (nameTaken(tenantId, name, id)) {
            return Write.of(Status.CONFLICT);
        }
        e.revision++;
        e.name = name;
        e.document = document;
        e.updatedAt = Instant.now();
        revision(e, false, change.actor());
        em().flush();
        audit(tenantId, "success", e.id, e.revision, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    /** Deletes a policy; its history stays, closed by a revision marked deleted. */
    @Transactional
    public Write<StoredPolicy> deletePolicy(String tenantId, UUID id, int expectedRevision, Change change) {
        PolicyEntity e = em().find(PolicyEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !e.tenantId.equals(tenantId)) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.revision != expectedRevision) {
            return Write.of(Status.STALE);
        }
        StoredPolicy before = toStored(e);
        e.revision++;
        revision(e, true, change.actor());
        em().remove(e);
        em().flush();
        audit(tenantId, "success", e.id, e.revision, change);
        return new Write<>(Status.DONE, before);
    }

    /**
     * Makes an old revision's document current again as a new revision (history is never rewritten), when the
     * latest revision is still {@code expectedRevision}. A deleted policy is re-created under its id, its history
     * continuing. CONFLICT when another policy has taken the name meanwhile.
     */
    @Transactional
    public Write<StoredPolicy> restorePolicy(String tenantId, UUID id, String name, String document, int expectedRevision,
            Change change) {
        PolicyEntity e = em().find(PolicyEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e != null && !e.tenantId.equals(tenantId)) {
            return Write.of(Status.NOT_FOUND);
        }
        int latest;
        if (e != null) {
            latest = e.revision;
        } else {
            Integer max = em().createQuery("select max(revision) from PolicyRevisionEntity where tenantId = ?1"
                    + " and policyId = ?2", Integer.class).setParameter(1, tenantId).setParameter(2, id).getSingleResult();
            if (max == null) {
                return Write.of(Status.NOT_FOUND);
            }
            latest = max;
        }
        if (latest != expectedRevision) {
            return Write.of(Status.STALE);
        }
        if (nameTaken(tenantId, name, id)) {
            return Write.of(Status.CONFLICT);
        }
        Instant now = Instant.now();
        boolean recreated = e == null;
        if (recreated) {
            e = new PolicyEntity();
            e.id = id;
            e.tenantId = tenantId;
            e.createdAt = now;
        }
        e.revision = latest + 1;
        e.name = name;
        e.document = document;
        e.updatedAt = now;
        if (recreated) {
            em().persist(e); // a concurrent restore of the same deleted policy fails on the key: the caller answers 412
        }
        revision(e, false, change.actor());
        em().flush();
        audit(tenantId, "success", e.id, e.revision, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    // ---- clients

    /** A stored client as the admin API may show it: whether it has a secret, never the hash. */
    public record StoredClient(String clientId, boolean hasSecret, String kerberosPrincipal, List<String> grantTypes,
            List<String> audiences, Integer rateLimit, Instant createdAt, Instant updatedAt, long version,
            Map<String, Object> jwks) {
    }

    @Transactional
    public List<StoredClient> clients(String tenantId) {
        return em().createQuery("from ClientEntity where tenantId = ?1 order by clientId", ClientEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(AdminStore::toStored).toList();
    }

    @Transactional
    public Optional<StoredClient> client(String tenantId, String clientId) {
        if (clientId == null || clientId.indexOf('\u0000') >= 0) {
            return Optional.empty(); // PostgreSQL text cannot hold a NUL: no such client
        }
        return Optional.ofNullable(em().find(ClientEntity.class, new ClientEntity.Key(tenantId, clientId)))
                .map(AdminStore::toStored);
    }

    /** Creates a client at version 0; CONFLICT when the tenant already has one of that id. */
    @Transactional
    public Write<StoredClient> createClient(OAuthClient c, Change change) {
        if (em().find(ClientEntity.class, new ClientEntity.Key(c.tenantId(), c.clientId())) != null) {
            return Write.of(Status.CONFLICT);
        }
        ClientEntity e = new ClientEntity();
        e.tenantId = c.tenantId();
        e.clientId = c.clientId();
        e.secretHash = c.secretHash();
        e.kerberosPrincipal = c.kerberosPrincipal();
        e.grantTypes = c.grantTypes();
        e.audiences = c.audiences();
        e.rateLimit = c.rateLimit();
        e.jwks = c.jwks();
        e.createdAt = Instant.now();
        e.updatedAt = e.createdAt;
        em().persist(e);
        em().flush();
        audit(c.tenantId(), "success", null, null, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    /** Replaces everything but the secret when the client's version is still {@code expectedVersion}. */
    @Transactional
    public Write<StoredClient> updateClient(OAuthClient c, long expectedVersion, Change change) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(c.tenantId(), c.clientId()),
                LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.version != expectedVersion) {
            return Write.of(Status.STALE);
        }
        e.kerberosPrincipal = c.kerberosPrincipal();
        e.grantTypes = c.grantTypes();
        e.audiences = c.audiences();
        e.rateLimit = c.rateLimit();
        e.jwks = c.jwks();
        e.updatedAt = Instant.now();
        em().flush();
        audit(c.tenantId(), "success", null, null, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    /** Replaces the secret's hash; the old secret stops matching as soon as snapshots are reloaded. */
    @Transactional
    public Write<StoredClient> replaceSecret(String tenantId, String clientId, String secretHash, Change change) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(tenantId, clientId),
                LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return Write.of(Status.NOT_FOUND);
        }
        e.secretHash = secretHash;
        e.updatedAt = Instant.now();
        em().flush();
        audit(tenantId, "success", null, null, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    @Transactional
    public Write<StoredClient> deleteClient(String tenantId, String clientId, long expectedVersion, Change change) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(tenantId, clientId),
                LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.version != expectedVersion) {
            return Write.of(Status.STALE);
        }
        StoredClient before = toStored(e);
        em().remove(e);
        em().flush();
        audit(tenantId, "success", null, null, change);
        return new Write<>(Status.DONE, before);
    }

    // ---- trusted issuers

    /** A stored trusted issuer: its opaque id, the declarative file's object, and its version (the ETag). */
    public record StoredTrustedIssuer(String id, TrustedIssuerRepresentation issuer, Instant createdAt, Instant updatedAt,
            long version) {
    }

    @Transactional
    public List<StoredTrustedIssuer> trustedIssuers(String tenantId) {
        return em().createQuery("from TrustedIssuerEntity where tenantId = ?1 order by issuer", TrustedIssuerEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(this::toStored).toList();
    }

    @Transactional
    public Optional<StoredTrustedIssuer> trustedIssuer(String tenantId, UUID id) {
        TrustedIssuerEntity e = em().find(TrustedIssuerEntity.class, id);
        return e == null || !e.tenantId.equals(tenantId) ? Optional.empty() : Optional.of(toStored(e));
    }

    /** Creates a trusted issuer at version 0; CONFLICT when the tenant already trusts that {@code issuer}. */
    @Transactional
    public Write<StoredTrustedIssuer> createTrustedIssuer(String tenantId, TrustedIssuerRepresentation r, Change change) {
        if (issuerTaken(tenantId, r.issuer(), null)) {
            return Write.of(Status.CONFLICT);
        }
        TrustedIssuerEntity e = new TrustedIssuerEntity();
        e.id = UUID.randomUUID();
        e.tenantId = tenantId;
        e.issuer = r.issuer();
        e.jwksUri = r.jwksUri();
        e.document = write(r);
        e.createdAt = Instant.now();
        e.updatedAt = e.createdAt;
        em().persist(e);
        em().flush();
        audit(tenantId, "success", null, null, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    /** Replaces a trusted issuer (its {@code issuer} included) when its version is still {@code expectedVersion}. */
    @Transactional
    public Write<StoredTrustedIssuer> updateTrustedIssuer(String tenantId, UUID id, long expectedVersion,
            TrustedIssuerRepresentation r, Change change) {
        TrustedIssuerEntity e = em().find(TrustedIssuerEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !e.tenantId.equals(tenantId)) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.version != expectedVersion) {
            return Write.of(Status.STALE);
        }
        if (issuerTaken(tenantId, r.issuer(), id)) {
            return Write.of(Status.CONFLICT);
        }
        e.issuer = r.issuer();
        e.jwksUri = r.jwksUri();
        e.document = write(r);
        e.updatedAt = Instant.now();
        em().flush();
        audit(tenantId, "success", null, null, change);
        return new Write<>(Status.DONE, toStored(e));
    }

    @Transactional
    public Write<StoredTrustedIssuer> deleteTrustedIssuer(String tenantId, UUID id, long expectedVersion, Change change) {
        TrustedIssuerEntity e = em().find(TrustedIssuerEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !e.tenantId.equals(tenantId)) {
            return Write.of(Status.NOT_FOUND);
        }
        if (e.version != expectedVersion) {
            return Write.of(Status.STALE);
        }
        StoredTrustedIssuer before = toStored(e);
        em().remove(e);
        em().flush();
        audit(tenantId, "success", null, null, change);
        return new Write<>(Status.DONE, before);
    }

    private boolean issuerTaken(String tenantId, String issuer, UUID except) {
        return em().createQuery("select id from TrustedIssuerEntity where tenantId = ?1 and issuer = ?2", UUID.class)
                .setParameter(1, tenantId).setParameter(2, issuer).getResultStream()
                .anyMatch(found -> !found.equals(except));
    }

    private StoredTrustedIssuer toStored(TrustedIssuerEntity e) {
        TrustedIssuerRepresentation r;
        try {
            r = json.readValue(e.document, TrustedIssuerRepresentation.class);
        } catch (JsonProcessingException ex) {
            r = new TrustedIssuerRepresentation(e.issuer, e.jwksUri, null);
        }
        return new StoredTrustedIssuer(e.id.toString(), new TrustedIssuerRepresentation(e.issuer, e.jwksUri,
                r.algorithms()), e.createdAt, e.updatedAt, e.version);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refused admin write (invalid body, stale or missing tag): audited on its own, nothing else changes. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordFailure(String tenantId, UUID policyId, Change change) {
        audit(tenantId, "failure", policyId, null, change);
    }

    /** A successful admin change made elsewhere (a key rotation): audited in the caller's transaction when there is one. */
    @Transactional
    public void recordSuccess(String tenantId, Change change) {
        audit(tenantId, "success", null, null, change);
    }

    private boolean nameTaken(String tenantId, String name, UUID except) {
        return em().createQuery("select id from PolicyEntity where tenantId = ?1 and name = ?2", UUID.class)
                .setParameter(1, tenantId).setParameter(2, name).getResultStream()
                .anyMatch(found -> !found.equals(except));
    }

    private void revision(PolicyEntity e, boolean deleted, String author) {
        PolicyRevisionEntity rev = new PolicyRevisionEntity();
        rev.policyId = e.id;
        rev.revision = e.revision;
        rev.tenantId = e.tenantId;
        rev.name = e.name;
        rev.document = deleted ? null : e.document;
        rev.deleted = deleted;
        rev.author = truncate(author, 255);
        rev.createdAt = Instant.now();
        em().persist(rev);
    }

    private void audit(String tenantId, String outcome, UUID policyId, Integer revision, Change change) {
        // Plain JDBC on the transaction's connection: Hibernate cannot type a null uuid in a native query.
        em().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO audit_event (occurred_at, tenant_id, kind, outcome, reason, request_id, source_address,
                      actor, policy_id, policy_revision, details)
                    VALUES (?, ?, 'admin', ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
                int i = 0;
                ps.setTimestamp(++i, Timestamp.from(Instant.now()));
                ps.setString(++i, truncate(tenantId, 63));
                ps.setString(++i, outcome);
                ps.setString(++i, truncate(change.reason(), 2000));
                ps.setString(++i, change.requestId());
                ps.setString(++i, truncate(change.sourceAddress(), 64));
                ps.setString(++i, truncate(change.actor(), 255));
                ps.setObject(++i, policyId, Types.OTHER);
                ps.setObject(++i, revision, Types.INTEGER);
                ps.setString(++i, change.details());
                ps.executeUpdate();
            }
        });
        if ("success".equals(outcome)) {
            ChangeFeed.announce(em(), tenantId); // delivered to every replica when this transaction commits
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static StoredPolicy toStored(PolicyEntity e) {
        return new StoredPolicy(e.id.toString(), e.revision, e.name, e.document);
    }

    private static StoredClient toStored(ClientEntity e) {
        return new StoredClient(e.clientId, e.secretHash != null, e.kerberosPrincipal,
                e.grantTypes == null ? List.of() : List.copyOf(e.grantTypes),
                e.audiences == null ? List.of() : List.copyOf(e.audiences), e.rateLimit, e.createdAt, e.updatedAt,
                e.version, e.jwks);
    }

    private static StoredTenant toStored(TenantEntity e) {
        Tenant.S4uSettings s4u = e.s4u == null ? null : new Tenant.S4uSettings((String) e.s4u.get("principal"),
                (String) e.s4u.get("keytab"), (String) e.s4u.get("default_realm"));
        return new StoredTenant(new Tenant(e.id, e.realms, e.services, e.enctypes,
                Duration.ofSeconds(e.maxTokenLifetimeSeconds), s4u, e.groupNames), e.version);
    }

    private static Map<String, Object> s4uMap(Tenant.S4uSettings s) {
        Map<String, Object> m = new HashMap<>();
        m.put("principal", s.principal());
        m.put("keytab", s.keytab());
        m.put("default_realm", s.defaultRealm());
        return m;
    }
}
