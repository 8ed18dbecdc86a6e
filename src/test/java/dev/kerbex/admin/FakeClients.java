package dev.kerbex.admin;

import dev.kerbex.store.ClientRepository;
import dev.kerbex.store.Write;
import dev.kerbex.tenant.OAuthClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link ClientRepository} in memory, for one tenant's worth of tests: the same answers, no database. */
final class FakeClients extends ClientRepository {
    final Map<String, StoredClient> stored = new LinkedHashMap<>();
    /** The secret hashes by client id: what the store keeps and never shows. */
    final Map<String, String> hashes = new LinkedHashMap<>();
    private final Instant now;

    FakeClients(Instant now) {
        this.now = now;
    }

    @Override
    public List<StoredClient> all(String tenantId) {
        return List.copyOf(stored.values());
    }

    @Override
    public Optional<StoredClient> find(String tenantId, String clientId) {
        return Optional.ofNullable(stored.get(clientId));
    }

    @Override
    public Set<String> ids(String tenantId) {
        return Set.copyOf(stored.keySet());
    }

    @Override
    public Write<StoredClient> create(OAuthClient c) {
        if (stored.containsKey(c.clientId())) {
            return Write.of(Write.Status.CONFLICT);
        }
        hashes.put(c.clientId(), c.secretHash());
        return Write.done(put(c, 0, now));
    }

    @Override
    public Write<StoredClient> update(OAuthClient c, long expectedVersion) {
        StoredClient before = stored.get(c.clientId());
        if (before == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        if (before.version() != expectedVersion) {
            return Write.of(Write.Status.STALE);
        }
        return Write.done(put(c, before.version() + 1, before.createdAt()));
    }

    @Override
    public Write<StoredClient> replaceSecret(String tenantId, String clientId, String secretHash) {
        StoredClient b = stored.get(clientId);
        if (b == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        hashes.put(clientId, secretHash);
        StoredClient after = new StoredClient(clientId, true, b.kerberosPrincipal(), b.grantTypes(), b.audiences(),
                b.rateLimit(), b.createdAt(), now, b.version() + 1, b.jwks(), b.authMethod(), b.tls());
        stored.put(clientId, after);
        return Write.done(after);
    }

    @Override
    public Write<StoredClient> delete(String tenantId, String clientId, long expectedVersion) {
        StoredClient before = stored.get(clientId);
        if (before == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        if (before.version() != expectedVersion) {
            return Write.of(Write.Status.STALE);
        }
        stored.remove(clientId);
        hashes.remove(clientId);
        return Write.done(before);
    }

    private StoredClient put(OAuthClient c, long version, Instant createdAt) {
        StoredClient s = new StoredClient(c.clientId(), hashes.get(c.clientId()) != null, c.kerberosPrincipal(),
                c.grantTypes() == null ? List.of() : List.copyOf(c.grantTypes()),
                c.audiences() == null ? List.of() : List.copyOf(c.audiences()), c.rateLimit(), createdAt, now, version,
                c.jwks(), c.authMethod(), c.tls());
        stored.put(c.clientId(), s);
        return s;
    }
}
