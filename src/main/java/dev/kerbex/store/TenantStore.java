package dev.kerbex.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.client.OAuthClient;
import dev.kerbex.policy.Policy;
import dev.kerbex.representation.PolicyMapping;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.tenant.TrustedIssuer;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Tenants, their clients, trusted issuers and policies. Entities stay here; records leave. */
@ApplicationScoped
public class TenantStore {
    private static final Logger LOG = Logger.getLogger(TenantStore.class);

    private final ObjectMapper json;

    public TenantStore(ObjectMapper json) {
        this.json = json;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    @Transactional
    public Optional<TenantSnapshot> snapshot(String tenantId) {
        TenantEntity t = em().find(TenantEntity.class, tenantId);
        if (t == null) {
            return Optional.empty();
        }
        List<OAuthClient> clients = em()
                .createQuery("from ClientEntity where tenantId = ?1", ClientEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(TenantStore::toClient).toList();
        List<Policy> policies = em()
                .createQuery("from PolicyEntity where tenantId = ?1 order by name", PolicyEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(this::toPolicy)
                .filter(Objects::nonNull).toList();
        List<TrustedIssuer> issuers = em()
                .createQuery("from TrustedIssuerEntity where tenantId = ?1 order by issuer", TrustedIssuerEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(this::toTrustedIssuer)
                .filter(Objects::nonNull).toList();
        return Optional.of(TenantSnapshot.of(toTenant(t), clients, policies, issuers));
    }

    /** Tells every replica, when the caller's transaction commits, that the tenant changed ({@link ChangeFeed}). */
    @Transactional
    public void announceChange(String tenantId) {
        ChangeFeed.announce(em(), tenantId);
    }

    @Transactional
    public boolean exists(String tenantId) {
        return em().find(TenantEntity.class, tenantId) != null;
    }

    /** Creates or updates a tenant by id; true when something changed. */
    @Transactional
    public boolean upsertTenant(Tenant tenant) {
        TenantEntity e = em().find(TenantEntity.class, tenant.id());
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = new TenantEntity();
            e.id = tenant.id();
            e.createdAt = now;
        }
        Map<String, Object> s4u = tenant.s4u() == null ? null : s4uMap(tenant.s4u());
        int maxLifetime = (int) tenant.maxTokenLifetime().toSeconds();
        if (!created && e.realms.equals(tenant.realms()) && e.services.equals(tenant.services())
                && e.enctypes.equals(tenant.enctypes()) && e.maxTokenLifetimeSeconds == maxLifetime
                && Objects.equals(e.s4u, s4u) && tenant.groupNames().equals(e.groupNames)) {
            return false;
        }
        e.realms = tenant.realms();
        e.services = tenant.services();
        e.enctypes = tenant.enctypes();
        e.maxTokenLifetimeSeconds = maxLifetime;
        e.s4u = s4u;
        e.groupNames = tenant.groupNames();
        e.updatedAt = now;
        if (created) {
            em().persist(e);
        }
        return true;
    }

    /** Creates or updates a client by (tenant, client_id); a null secret hash keeps the stored one. */
    @Transactional
    public boolean upsertClient(OAuthClient client) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(client.tenantId(), client.clientId()));
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = new ClientEntity();
            e.tenantId = client.tenantId();
            e.clientId = client.clientId();
            e.createdAt = now;
        }
        String hash = client.secretHash() == null ? e.secretHash : client.secretHash();
        if (!created && Objects.equals(e.secretHash, hash) && Objects.equals(e.kerberosPrincipal, client.kerberosPrincipal())
                && e.grantTypes.equals(client.grantTypes()) && e.audiences.equals(client.audiences())
                && Objects.equals(e.rateLimit, client.rateLimit()) && Objects.equals(e.jwks, client.jwks())) {
            return false;
        }
        e.secretHash = hash;
        e.kerberosPrincipal = client.kerberosPrincipal();
        e.grantTypes = client.grantTypes();
        e.audiences = client.audiences();
        e.rateLimit = client.rateLimit();
        e.jwks = client.jwks();
        e.updatedAt = now;
        if (created) {
            em().persist(e);
        }
        return true;
    }

    @Transactional
    public java.util.Set<String> clientIds(String tenantId) {
        return java.util.Set.copyOf(em().createQuery("select clientId from ClientEntity where tenantId = ?1", String.class)
                .setParameter(1, tenantId).getResultList());
    }

    /** The stored hash of a client's secret, to keep it when the same secret is applied again. */
    @Transactional
    public Optional<String> secretHash(String tenantId, String clientId) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(tenantId, clientId));
        return Optional.ofNullable(e == null ? null : e.secretHash);
    }

    @Transactional
    public boolean upsertTrustedIssuer(String tenantId, TrustedIssuerRepresentation issuer) {
        TrustedIssuerEntity e = em().createQuery("from TrustedIssuerEntity where tenantId = ?1 and issuer = ?2",
                TrustedIssuerEntity.class).setParameter(1, tenantId).setParameter(2, issuer.issuer())
                .getResultStream().findFirst().orElse(null);
        String document = write(issuer);
        Instant now = Instant.now();
        if (e != null && sameJson(e.document, document)) {
            return false;
        }
        boolean created = e == null;
        if (created) {
            e = new TrustedIssuerEntity();
            e.id = UUID.randomUUID();
            e.tenantId = tenantId;
            e.issuer = issuer.issuer();
            e.createdAt = now;
        }
        e.jwksUri = issuer.jwksUri();
        e.document = document;
        e.updatedAt = now;
        if (created) {
            em().persist(e);
        }
        return true;
    }

    /**
     * Creates or updates a policy by (tenant, name). A changed document gets the next revision and an immutable
     * revision row naming {@code author}; an unchanged one is left alone (idempotent bootstrap).
     */
    @Transactional
    public boolean upsertPolicyByName(String tenantId, PolicyRepresentation policy, String author) {
        PolicyEntity e = em().createQuery("from PolicyEntity where tenantId = ?1 and name = ?2", PolicyEntity.class)
                .setParameter(1, tenantId).setParameter(2, policy.name()).getResultStream().findFirst().orElse(null);
        String document = write(policy.withoutIdentity());
        if (e != null && sameJson(e.document, document)) {
            return false;
        }
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = new PolicyEntity();
            e.id = UUID.randomUUID();
            e.tenantId = tenantId;
            e.name = policy.name();
            e.revision = 0;
            e.createdAt = now;
        }
        e.revision++;
        e.document = document;
        e.updatedAt = now;
        if (created) {
            em().persist(e);
        }
        PolicyRevisionEntity rev = new PolicyRevisionEntity();
        rev.policyId = e.id;
        rev.revision = e.revision;
        rev.tenantId = tenantId;
        rev.name = e.name;
        rev.document = document;
        rev.author = author;
        rev.createdAt = now;
        em().persist(rev);
        return true;
    }

    private Policy toPolicy(PolicyEntity e) {
        try {
            PolicyRepresentation r = json.readValue(e.document, PolicyRepresentation.class);
            PolicyMapping.Result result = PolicyMapping.toPolicy(r, e.id.toString(), e.revision);
            if (!result.errors().isEmpty()) {
                LOG.errorf("tenant %s: stored policy %s is invalid and is ignored: %s", e.tenantId, e.name, result.errors());
            }
            return result.policy();
        } catch (JsonProcessingException ex) {
            LOG.errorf("tenant %s: stored policy %s is unreadable and is ignored", e.tenantId, e.name);
            return null;
        }
    }

    /** An issuer without a {@code jwks_uri} has no keys to check its tokens with: it is left out, so refused. */
    private TrustedIssuer toTrustedIssuer(TrustedIssuerEntity e) {
        try {
            TrustedIssuerRepresentation r = json.readValue(e.document, TrustedIssuerRepresentation.class);
            if (e.jwksUri == null) {
                LOG.warnf("tenant %s: trusted issuer %s has no jwks_uri; its tokens are refused", e.tenantId, e.issuer);
                return null;
            }
            return TrustedIssuer.of(e.issuer, e.jwksUri, r.algorithms());
        } catch (JsonProcessingException ex) {
            LOG.errorf("tenant %s: stored trusted issuer %s is unreadable and is ignored", e.tenantId, e.issuer);
            return null;
        }
    }

    private boolean sameJson(String a, String b) {
        try {
            return a != null && json.readTree(a).equals(json.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> s4uMap(Tenant.S4uSettings s) {
        Map<String, Object> m = new HashMap<>();
        m.put("principal", s.principal());
        m.put("keytab", s.keytab());
        m.put("default_realm", s.defaultRealm());
        return m;
    }

    private static Tenant toTenant(TenantEntity e) {
        Tenant.S4uSettings s4u = e.s4u == null ? null : new Tenant.S4uSettings((String) e.s4u.get("principal"),
                (String) e.s4u.get("keytab"), (String) e.s4u.get("default_realm"));
        return new Tenant(e.id, e.realms, e.services, e.enctypes, Duration.ofSeconds(e.maxTokenLifetimeSeconds), s4u,
                e.groupNames);
    }

    private static OAuthClient toClient(ClientEntity e) {
        return new OAuthClient(e.tenantId, e.clientId, e.secretHash, e.kerberosPrincipal, e.grantTypes, e.audiences,
                e.rateLimit, e.jwks);
    }
}
