package dev.kerbex.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.kerbex.config.SystemClock;
import dev.kerbex.jose.JwsResult;
import dev.kerbex.jose.JwsToken;
import dev.kerbex.store.TenantChanged;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jwt.JwtClaims;

/**
 * JWT subject and actor tokens whose signature has verified, so that the same token presented again (a gateway
 * exchanging one user token for many tickets) costs a hash and a lookup instead of an ECDSA or RSA verification.
 *
 * <p>What is remembered is only what the token itself fixes: its header values, its claims and the public key its
 * signature verified under. Everything that depends on the request or on the time is still checked on every use by
 * {@link JwtSubjectVerifier} and the pipeline ({@code jose/JwsPipeline}): the issuer still trusted, the algorithm still allowed, the key published under the
 * {@code kid} still the very key that verified it (a key the tenant or a trusted issuer withdrew or replaced ends
 * the reuse), {@code typ}, {@code exp}, {@code nbf}, {@code iat}, the audience against the requesting client, and
 * revocation (a database read, never cached).
 *
 * <p>Entries are keyed by the tenant and the SHA-256 of the whole token (no token is kept), bounded in number, kept
 * no longer than the token's {@code exp} and at most {@link #MAX_AGE}, and dropped when the tenant changes on any
 * replica ({@link TenantChanged}: its keys, trusted issuers or settings).
 */
@ApplicationScoped
public class VerifiedJwts {
    static final int MAX_ENTRIES = 10_000;
    /** Bounds an entry of a long-lived token; the key check on each use already ends reuse when the key goes. */
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    /** A verified token: its header values and claims (read only), the key that verified it, its {@code exp}. */
    record Entry(String alg, String kid, String typ, JwtClaims claims, PublicKey key, Instant expiresAt) {
        static Entry of(JwsResult.Verified v) {
            JwsToken t = v.token();
            return new Entry(t.alg(), t.kid(), t.typ(), t.claims(), v.key().getPublicKey(), v.expiresAt());
        }

        /** Whether {@code current}, the key now published under the token's {@code kid}, is the one that verified it. */
        boolean verifiedBy(PublicKey current) {
            return key == current || key.equals(current);
        }

        /** The token again, as the pipeline reads it: {@code compact} is this request's (the entry holds no token). */
        JwsToken token(String compact) {
            return new JwsToken(compact, null, alg, kid, typ, claims, key);
        }
    }

    private record Key(String tenantId, String tokenHash) {
    }

    private final Clock clock;
    private final Cache<Key, Entry> cache;

    @Inject
    public VerifiedJwts(MeterRegistry metrics, Clock clock) {
        this(clock, MAX_ENTRIES);
        CaffeineCacheMetrics.monitor(metrics, cache, "kerbex.verified_jwts");
    }

    VerifiedJwts(Clock clock, int maxEntries) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).recordStats()
                .ticker(SystemClock.ticker(clock))
                .expireAfter(new Expiry<Key, Entry>() {
                    @Override
                    public long expireAfterCreate(Key key, Entry entry, long now) {
                        Duration left = Duration.between(clock.instant(), entry.expiresAt());
                        return (left.compareTo(MAX_AGE) > 0 ? MAX_AGE : left.isNegative() ? Duration.ZERO : left).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(Key key, Entry entry, long now, long currentDuration) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(Key key, Entry entry, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** The entry of this exact token in this tenant, or null. */
    Entry find(String tenantId, String token) {
        return cache.getIfPresent(new Key(tenantId, hash(token)));
    }

    /** Remembers a token whose signature verified under {@code entry.key()} and whose {@code exp} is ahead. */
    void remember(String tenantId, String token, Entry entry) {
        if (clock.instant().isBefore(entry.expiresAt())) {
            cache.put(new Key(tenantId, hash(token)), entry);
        }
    }

    /** An edit of a tenant (its keys, trusted issuers, settings) on any replica ends reuse of its tokens' checks. */
    void onChange(@Observes TenantChanged change) {
        if (change.everyTenant()) {
            cache.invalidateAll();
        } else {
            cache.asMap().keySet().removeIf(k -> k.tenantId().equals(change.tenantId()));
        }
    }

    /** Entries currently held (for tests). */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Lookups that found an entry (for tests; operators read {@code cache_gets_total} in /q/metrics). */
    long hits() {
        return cache.stats().hitCount();
    }

    private static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
