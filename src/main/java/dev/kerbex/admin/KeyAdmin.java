package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.jwt.SigningKeys;
import dev.kerbex.store.SigningKeyStore;
import dev.kerbex.store.StoredSigningKey;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's signing keys (SPEC §8, §9): newest first, and rotation. Only public facts are shown; the private halves
 * never leave the store.
 */
@ApplicationScoped
class KeyAdmin {
    private final AdminSupport support;
    private final AdminWrites writes;
    private final TenantRepository tenants;
    private final SigningKeyStore keys;
    private final SigningKeys signingKeys;

    KeyAdmin(AdminSupport support, AdminWrites writes, TenantRepository tenants, SigningKeyStore keys,
            SigningKeys signingKeys) {
        this.support = support;
        this.writes = writes;
        this.tenants = tenants;
        this.keys = keys;
        this.signingKeys = signingKeys;
    }

    /** A signing key as the admin API shows it: never the private key. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String kid, String algorithm, String status, Instant createdAt, Instant retiredAt,
            Instant publishedUntil) {
        static KeyView of(StoredSigningKey k) {
            return new KeyView(k.kid(), k.algorithm(), k.status(), k.createdAt(), k.retiredAt(), k.publishedUntil());
        }
    }

    List<KeyView> list(AdminCaller caller, String tenant) {
        support.mayRead(caller, tenant);
        signingKeys.current(tenant); // as the JWKS does: a tenant always has an active key
        return keys.all(tenant).stream().map(KeyView::of).toList();
    }

    /**
     * A new active key. The previous one stays in the JWKS for the tenant's maximum token lifetime, so every
     * token it signed still verifies until it expires. The rotation and its audit event commit together; a
     * concurrent rotation that won is a 409, audited.
     */
    KeyView rotate(AdminOperation op, String tenant) {
        support.mayWrite(op.caller(), tenant);
        Duration publishFor = tenants.find(tenant).orElseThrow(AdminProblem::notFound).tenant().maxTokenLifetime();
        signingKeys.current(tenant); // the first key, if there is none yet, is created outside the rotation
        StoredSigningKey before = keys.active(tenant).orElse(null);
        StoredSigningKey fresh;
        try {
            fresh = writes.inTransaction(() -> {
                StoredSigningKey k = signingKeys.rotate(tenant, publishFor);
                ObjectNode d = support.details("rotate", "signing_key").put("tenant", tenant).put("kid", k.kid())
                        .put("algorithm", k.algorithm()).put("previous_kid", before == null ? null : before.kid())
                        .put("previous_published_for", publishFor.toString());
                writes.recordInTransaction(op, tenant, new AdminWrites.Change("rotate signing key", d), null);
                return k;
            });
        } catch (RuntimeException e) {
            if (!UniqueViolation.isCause(e)) {
                throw e;
            }
            throw writes.refused(AdminProblem.conflict("a concurrent rotation won; read the keys again"), op,
                    tenant, null, "rotate", "signing_key");
        }
        return KeyView.of(keys.all(tenant).stream().filter(k -> k.kid().equals(fresh.kid())).findFirst()
                .orElse(fresh));
    }
}
