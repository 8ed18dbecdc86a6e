package dev.kerbex.jwt;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.config.SystemClock;
import dev.kerbex.store.SigningKeyStore;
import dev.kerbex.store.StoredSigningKey;
import dev.kerbex.store.TenantChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Per-tenant signing keys (SPEC §9): generated on first use, stored encrypted, rotated without downtime.
 * The active key is cached for a few seconds; a rotation on another replica drops it at once through the change
 * feed ({@link TenantChanged}), else within that time, and tokens signed meanwhile with the previous key still
 * verify because it stays in the JWKS.
 */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final Duration CACHE_FOR = Duration.ofSeconds(5);

    /** The decrypted active key of a tenant, with the protected header of the access tokens it signs, encoded once. */
    public record SigningKey(String kid, String algorithm, PrivateKey privateKey, String protectedHeader) {
        public SigningKey(String kid, String algorithm, PrivateKey privateKey) {
            this(kid, algorithm, privateKey, AccessTokenMinter.protectedHeader(kid, algorithm));
        }
    }

    private final SigningKeyStore store;
    private final KeyEncryptionKey kek;
    private final KerbexConfig config;
    private final Clock clock;
    private final LoadingCache<String, SigningKey> active;

    public SigningKeys(SigningKeyStore store, KeyEncryptionKey kek, KerbexConfig config, Clock clock) {
        this.store = store;
        this.kek = kek;
        this.config = config;
        this.clock = clock;
        this.active = Caffeine.newBuilder().expireAfterWrite(CACHE_FOR).maximumSize(10_000)
                .ticker(SystemClock.ticker(clock)).build(this::loadActive);
    }

    public SigningKey current(String tenantId) {
        return active.get(tenantId);
    }

    /** Public JWKs (JSON objects) of the tenant's active and still-published keys. */
    public List<String> publishedJwks(String tenantId) {
        current(tenantId); // a tenant's JWKS is never empty
        return store.published(tenantId, clock.instant()).stream().map(StoredSigningKey::publicJwk).toList();
    }

    /** Creates a new active key; the previous one stays published for {@code publishFor} (the longest token lifetime). */
    public StoredSigningKey rotate(String tenantId, Duration publishFor) {
        StoredSigningKey fresh = generate(tenantId, config.tokens().signingAlgorithm());
        Instant now = clock.instant();
        store.activate(fresh, now, now.plus(publishFor));
        active.invalidate(tenantId);
        LOG.infof("tenant %s: new signing key %s", tenantId, fresh.kid());
        return fresh;
    }

    /** A change committed on any replica (a rotation among them), or a change feed that may have missed some. */
    void onChange(@Observes TenantChanged change) {
        if (change.everyTenant()) {
            active.invalidateAll();
        } else {
            active.invalidate(change.tenantId());
        }
    }

    private SigningKey loadActive(String tenantId) {
        StoredSigningKey stored = store.active(tenantId).orElse(null);
        if (stored == null) {
            try {
                rotate(tenantId, Duration.ZERO);
            } catch (RuntimeException raceWithAnotherReplica) {
                LOG.debugf("tenant %s: concurrent first key creation, using the winner's key", tenantId);
            }
            stored = store.active(tenantId).orElseThrow(() -> new IllegalStateException("no signing key for " + tenantId));
        }
        return new SigningKey(stored.kid(), stored.algorithm(), decodePrivate(stored));
    }

    private PrivateKey decodePrivate(StoredSigningKey stored) {
        byte[] pkcs8 = kek.decrypt(stored.encryptedPrivateKey(), aad(stored.tenantId(), stored.kid()));
        try {
            String family = stored.algorithm().startsWith("ES") ? "EC" : "RSA";
            return KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + stored.kid() + " is unreadable", e);
        }
    }

    private StoredSigningKey generate(String tenantId, String algorithm) {
        try {
            KeyPair pair = switch (algorithm) {
                case "ES256" -> ecPair("secp256r1");
                case "ES384" -> ecPair("secp384r1");
                case "RS256" -> {
                    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                    gen.initialize(3072);
                    yield gen.generateKeyPair();
                }
                default -> throw new IllegalStateException("kerbex.tokens.signing-algorithm " + algorithm
                        + " is not one of ES256, ES384, RS256");
            };
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setAlgorithm(algorithm);
            jwk.setUse("sig");
            byte[] sealed = kek.encrypt(pair.getPrivate().getEncoded(), aad(tenantId, kid));
            return new StoredSigningKey(tenantId, kid, algorithm, jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                    sealed, "active", null, null, null);
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    private static KeyPair ecPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec(curve));
        return gen.generateKeyPair();
    }

    private static String aad(String tenantId, String kid) {
        return tenantId + "/" + kid;
    }
}
