package dev.kerbex.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kerbex.config.SystemClock;
import dev.kerbex.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The public keys of each tenant's JWK Set (the active key and retired ones still published), parsed and cached for
 * {@link #CACHED_FOR}; an unknown {@code kid} reloads them (a rotation on another replica), at most once per
 * {@link #RELOAD_AT_MOST_EVERY}.
 */
final class TenantPublicKeys {
    private static final Logger LOG = Logger.getLogger(TenantPublicKeys.class);
    static final Duration CACHED_FOR = Duration.ofSeconds(5);
    static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(1);

    /** The public JWKs (JSON objects) a tenant publishes. */
    @FunctionalInterface
    interface Published {
        List<String> of(String tenantId);
    }

    private record Loaded(Instant loadedAt, Map<String, PublicJsonWebKey> byKid) {
    }

    private final Published published;
    private final Clock clock;
    private final Cache<String, Loaded> keys;

    TenantPublicKeys(Published published, Clock clock) {
        this.published = published;
        this.clock = clock;
        this.keys = Caffeine.newBuilder().expireAfterWrite(CACHED_FOR).maximumSize(10_000)
                .ticker(SystemClock.ticker(clock)).build();
    }

    /** The tenant's key published under {@code kid}, or null. */
    PublicJsonWebKey key(String tenantId, String kid) {
        if (kid == null) {
            return null;
        }
        Loaded current = keys.get(tenantId, this::load);
        PublicJsonWebKey key = current.byKid().get(kid);
        if (key == null && !clock.instant().isBefore(current.loadedAt().plus(RELOAD_AT_MOST_EVERY))) {
            current = load(tenantId);
            keys.put(tenantId, current);
            key = current.byKid().get(kid);
        }
        return key;
    }

    private Loaded load(String tenantId) {
        List<String> jwks;
        try {
            jwks = published.of(tenantId);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("signing keys", e);
        }
        Map<String, PublicJsonWebKey> byKid = new LinkedHashMap<>();
        for (String json : jwks) {
            try {
                if (JsonWebKey.Factory.newJwk(json) instanceof PublicJsonWebKey k && k.getKeyId() != null) {
                    byKid.put(k.getKeyId(), k);
                }
            } catch (JoseException e) {
                LOG.warnf("tenant %s: a published signing key is unreadable and is ignored: %s", tenantId, e.getMessage());
            }
        }
        return new Loaded(clock.instant(), Map.copyOf(byKid));
    }
}
