package dev.kerbex.store;

import static dev.kerbex.store.Guarded.em;

import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TlsClientAuth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A tenant's OAuth clients. Secrets are stored only as hashes; the admin API's reads see whether there is one. */
@ApplicationScoped
public class ClientRepository {

    /** A stored client as the admin API may show it: whether it has a secret, never the hash. */
    public record StoredClient(String clientId, boolean hasSecret, String kerberosPrincipal, List<String> grantTypes,
            List<String> audiences, Integer rateLimit, Instant createdAt, Instant updatedAt, long version,
            Map<String, Object> jwks, String authMethod, TlsClientAuth tls) {
    }

    @Transactional
    public List<StoredClient> all(String tenantId) {
        return entities(tenantId).stream().map(ClientRepository::toStored).toList();
    }

    /** The clients as the token endpoint uses them (secret hashes included). */
    @Transactional
    public List<OAuthClient> models(String tenantId) {
        return entities(tenantId).stream().map(ClientRepository::toClient).toList();
    }

    @Transactional
    public Optional<StoredClient> find(String tenantId, String clientId) {
        if (clientId == null || clientId.indexOf('\u0000') >= 0) {
            return Optional.empty(); // PostgreSQL text cannot hold a NUL: no such client
        }
        return Optional.ofNullable(em().find(ClientEntity.class, new ClientEntity.Key(tenantId, clientId)))
                .map(ClientRepository::toStored);
    }

    @Transactional
    public Set<String> ids(String tenantId) {
        return Set.copyOf(em().createQuery("select clientId from ClientEntity where tenantId = ?1", String.class)
                .setParameter(1, tenantId).getResultList());
    }

    /** The stored hash of a client's secret, to keep it when the same secret is applied again. */
    @Transactional
    public Optional<String> secretHash(String tenantId, String clientId) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(tenantId, clientId));
        return Optional.ofNullable(e == null ? null : e.secretHash);
    }

    /** Creates a client at version 0; CONFLICT when the tenant already has one of that id. */
    @Transactional
    public Write<StoredClient> create(OAuthClient c) {
        if (em().find(ClientEntity.class, new ClientEntity.Key(c.tenantId(), c.clientId())) != null) {
            return Write.of(Write.Status.CONFLICT);
        }
        ClientEntity e = newEntity(c, Instant.now());
        e.secretHash = c.secretHash();
        apply(e, c, e.createdAt);
        em().persist(e);
        em().flush();
        return Write.done(toStored(e));
    }

    /** Replaces everything but the secret when the client's version is still {@code expectedVersion}. */
    @Transactional
    public Write<StoredClient> update(OAuthClient c, long expectedVersion) {
        return Guarded.write(ClientEntity.class, new ClientEntity.Key(c.tenantId(), c.clientId()), e -> true,
                e -> e.version, expectedVersion, e -> {
                    apply(e, c, Instant.now());
                    return Write.Status.DONE;
                }, ClientRepository::toStored);
    }

    /** Replaces the secret's hash, whatever the version; the old secret stops matching once snapshots reload. */
    @Transactional
    public Write<StoredClient> replaceSecret(String tenantId, String clientId, String secretHash) {
        return Guarded.write(ClientEntity.class, new ClientEntity.Key(tenantId, clientId), e -> true, e -> e.version,
                Guarded.ANY_VERSION, e -> {
                    e.secretHash = secretHash;
                    e.updatedAt = Instant.now();
                    return Write.Status.DONE;
                }, ClientRepository::toStored);
    }

    @Transactional
    public Write<StoredClient> delete(String tenantId, String clientId, long expectedVersion) {
        return Guarded.write(ClientEntity.class, new ClientEntity.Key(tenantId, clientId), e -> true, e -> e.version,
                expectedVersion, e -> {
                    em().remove(e);
                    return Write.Status.DONE;
                }, ClientRepository::toStored);
    }

    /** Creates or updates a client by (tenant, client_id) (the declarative file); a null secret hash keeps the stored one. */
    @Transactional
    public boolean upsert(OAuthClient client) {
        ClientEntity e = em().find(ClientEntity.class, new ClientEntity.Key(client.tenantId(), client.clientId()));
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = newEntity(client, now);
        }
        String hash = client.secretHash() == null ? e.secretHash : client.secretHash();
        if (!created && Objects.equals(e.secretHash, hash) && Objects.equals(e.kerberosPrincipal, client.kerberosPrincipal())
                && e.grantTypes.equals(client.grantTypes()) && e.audiences.equals(client.audiences())
                && Objects.equals(e.rateLimit, client.rateLimit()) && Objects.equals(e.jwks, client.jwks())
                && Objects.equals(e.authMethod, client.authMethod())
                && Objects.equals(TlsClientAuth.fromMap(e.tlsClientAuth), client.tls())) {
            return false;
        }
        e.secretHash = hash;
        apply(e, client, now);
        if (created) {
            em().persist(e);
        }
        return true;
    }

    private static List<ClientEntity> entities(String tenantId) {
        return em().createQuery("from ClientEntity where tenantId = ?1 order by clientId", ClientEntity.class)
                .setParameter(1, tenantId).getResultList();
    }

    private static ClientEntity newEntity(OAuthClient c, Instant now) {
        ClientEntity e = new ClientEntity();
        e.tenantId = c.tenantId();
        e.clientId = c.clientId();
        e.createdAt = now;
        return e;
    }

    /** Everything but the id and the secret. */
    private static void apply(ClientEntity e, OAuthClient c, Instant now) {
        e.kerberosPrincipal = c.kerberosPrincipal();
        e.grantTypes = c.grantTypes();
        e.audiences = c.audiences();
        e.rateLimit = c.rateLimit();
        e.jwks = c.jwks();
        e.authMethod = c.authMethod();
        e.tlsClientAuth = c.tls() == null ? null : c.tls().toMap();
        e.updatedAt = now;
    }

    private static StoredClient toStored(ClientEntity e) {
        return new StoredClient(e.clientId, e.secretHash != null, e.kerberosPrincipal,
                e.grantTypes == null ? List.of() : List.copyOf(e.grantTypes),
                e.audiences == null ? List.of() : List.copyOf(e.audiences), e.rateLimit, e.createdAt, e.updatedAt,
                e.version, e.jwks, e.authMethod, TlsClientAuth.fromMap(e.tlsClientAuth));
    }

    private static OAuthClient toClient(ClientEntity e) {
        return new OAuthClient(e.tenantId, e.clientId, e.secretHash, e.kerberosPrincipal, e.grantTypes, e.audiences,
                e.rateLimit, e.jwks, e.authMethod, TlsClientAuth.fromMap(e.tlsClientAuth));
    }
}
