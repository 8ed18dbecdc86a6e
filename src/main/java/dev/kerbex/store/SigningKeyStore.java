package dev.kerbex.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Signing keys per tenant: one active, retired ones published until their tokens have expired (SPEC §9). */
@ApplicationScoped
public class SigningKeyStore implements PanacheRepositoryBase<SigningKeyEntity, SigningKeyEntity.Key> {

    @Transactional
    public Optional<StoredSigningKey> active(String tenantId) {
        return find("tenantId = ?1 and status = 'active'", tenantId).firstResultOptional().map(SigningKeyStore::toRecord);
    }

    /** Keys to publish in the JWKS: the active one and retired ones still inside their publication window. */
    @Transactional
    public List<StoredSigningKey> published(String tenantId, Instant now) {
        return find("tenantId = ?1 and (status = 'active' or publishedUntil > ?2) order by createdAt desc", tenantId, now)
                .stream().map(SigningKeyStore::toRecord).toList();
    }

    @Transactional
    public List<StoredSigningKey> all(String tenantId) {
        return find("tenantId = ?1 order by createdAt desc", tenantId).stream().map(SigningKeyStore::toRecord).toList();
    }

    /**
     * Makes {@code key} the active key, retiring the current one (kept in the JWKS until
     * {@code retiredPublishedUntil}). The partial unique index on active keys makes a concurrent activation
     * on another replica fail instead of leaving two active keys.
     */
    @Transactional
    public void activate(StoredSigningKey key, Instant now, Instant retiredPublishedUntil) {
        update("status = 'retired', retiredAt = ?2, publishedUntil = ?3 where tenantId = ?1 and status = 'active'",
                key.tenantId(), now, retiredPublishedUntil);
        getEntityManager().flush();
        SigningKeyEntity e = new SigningKeyEntity();
        e.tenantId = key.tenantId();
        e.kid = key.kid();
        e.algorithm = key.algorithm();
        e.publicJwk = key.publicJwk();
        e.privateKey = key.encryptedPrivateKey();
        e.status = "active";
        e.createdAt = now;
        persist(e);
    }

    private static StoredSigningKey toRecord(SigningKeyEntity e) {
        return new StoredSigningKey(e.tenantId, e.kid, e.algorithm, e.publicJwk, e.privateKey, e.status, e.createdAt,
                e.retiredAt, e.publishedUntil);
    }
}
