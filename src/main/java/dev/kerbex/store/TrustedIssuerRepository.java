package dev.kerbex.store;

import static dev.kerbex.store.Guarded.em;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The issuers whose JWTs a tenant accepts. Each is kept as its {@code issuer}, {@code jwks_uri} and the whole
 * document (JSON) it was written as; what that document means is for the layers above.
 */
@ApplicationScoped
public class TrustedIssuerRepository {

    /** A stored trusted issuer: its opaque id, its document (JSON), and its version (the ETag). */
    public record StoredTrustedIssuer(String id, String issuer, String jwksUri, String document, Instant createdAt,
            Instant updatedAt, long version) {
    }

    private final ObjectMapper json;

    public TrustedIssuerRepository(ObjectMapper json) {
        this.json = json;
    }

    @Transactional
    public List<StoredTrustedIssuer> all(String tenantId) {
        return em().createQuery("from TrustedIssuerEntity where tenantId = ?1 order by issuer", TrustedIssuerEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(TrustedIssuerRepository::toStored).toList();
    }

    @Transactional
    public Optional<StoredTrustedIssuer> find(String tenantId, UUID id) {
        TrustedIssuerEntity e = em().find(TrustedIssuerEntity.class, id);
        return e == null || !e.tenantId.equals(tenantId) ? Optional.empty() : Optional.of(toStored(e));
    }

    /** Whether another trusted issuer of the tenant than {@code except} has this {@code issuer}: the one check. */
    @Transactional
    public boolean issuerTaken(String tenantId, String issuer, UUID except) {
        return em().createQuery("select id from TrustedIssuerEntity where tenantId = ?1 and issuer = ?2", UUID.class)
                .setParameter(1, tenantId).setParameter(2, issuer).getResultStream()
                .anyMatch(found -> !found.equals(except));
    }

    /** Creates a trusted issuer at version 0; CONFLICT when the tenant already trusts that {@code issuer}. */
    @Transactional
    public Write<StoredTrustedIssuer> create(String tenantId, String issuer, String jwksUri, String document) {
        if (issuerTaken(tenantId, issuer, null)) {
            return Write.of(Write.Status.CONFLICT);
        }
        TrustedIssuerEntity e = newEntity(tenantId, issuer, Instant.now());
        apply(e, issuer, jwksUri, document, e.createdAt);
        em().persist(e);
        em().flush();
        return Write.done(toStored(e));
    }

    /** Replaces a trusted issuer (its {@code issuer} included) when its version is still {@code expectedVersion}. */
    @Transactional
    public Write<StoredTrustedIssuer> update(String tenantId, UUID id, long expectedVersion, String issuer,
            String jwksUri, String document) {
        return Guarded.write(TrustedIssuerEntity.class, id, e -> e.tenantId.equals(tenantId), e -> e.version,
                expectedVersion, e -> {
                    if (issuerTaken(tenantId, issuer, id)) {
                        return Write.Status.CONFLICT;
                    }
                    apply(e, issuer, jwksUri, document, Instant.now());
                    return Write.Status.DONE;
                }, TrustedIssuerRepository::toStored);
    }

    @Transactional
    public Write<StoredTrustedIssuer> delete(String tenantId, UUID id, long expectedVersion) {
        return Guarded.write(TrustedIssuerEntity.class, id, e -> e.tenantId.equals(tenantId), e -> e.version,
                expectedVersion, e -> {
                    em().remove(e);
                    return Write.Status.DONE;
                }, TrustedIssuerRepository::toStored);
    }

    /** Creates or updates by (tenant, issuer) (the declarative file); true when something changed. */
    @Transactional
    public boolean upsert(String tenantId, String issuer, String jwksUri, String document) {
        TrustedIssuerEntity e = em().createQuery("from TrustedIssuerEntity where tenantId = ?1 and issuer = ?2",
                TrustedIssuerEntity.class).setParameter(1, tenantId).setParameter(2, issuer)
                .getResultStream().findFirst().orElse(null);
        if (e != null && Documents.same(json, e.document, document)) {
            return false;
        }
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = newEntity(tenantId, issuer, now);
        }
        apply(e, issuer, jwksUri, document, now);
        if (created) {
            em().persist(e);
        }
        return true;
    }

    private static TrustedIssuerEntity newEntity(String tenantId, String issuer, Instant now) {
        TrustedIssuerEntity e = new TrustedIssuerEntity();
        e.id = UUID.randomUUID();
        e.tenantId = tenantId;
        e.issuer = issuer;
        e.createdAt = now;
        return e;
    }

    private static void apply(TrustedIssuerEntity e, String issuer, String jwksUri, String document, Instant now) {
        e.issuer = issuer;
        e.jwksUri = jwksUri;
        e.document = document;
        e.updatedAt = now;
    }

    private static StoredTrustedIssuer toStored(TrustedIssuerEntity e) {
        return new StoredTrustedIssuer(e.id.toString(), e.issuer, e.jwksUri, e.document, e.createdAt, e.updatedAt,
                e.version);
    }
}
