package dev.kerbex.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.tenant.OAuthClient;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Token requests per client per second, as a token bucket on each replica (SPEC §4: 429 with Retry-After).
 * The limit is per replica: with N replicas behind a balancer a client gets up to N times the rate.
 */
@ApplicationScoped
public class RateLimiter {
    private final int defaultPerSecond;
    /** Keyed by client and its limit, so a changed limit takes effect with a fresh bucket. */
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    public RateLimiter(KerbexConfig config) {
        this.defaultPerSecond = config.rateLimit().perClientPerSecond();
    }

    public void admit(OAuthClient client) {
        int perSecond = client.rateLimit() != null ? client.rateLimit() : defaultPerSecond;
        if (perSecond <= 0) {
            return;
        }
        Bucket bucket = buckets.get(client.tenantId() + "/" + client.clientId() + "/" + perSecond, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long retryAfter = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new OAuthException(OAuthErrorCode.RATE_LIMITED, "client: rate limit exceeded, retry later",
                    "rate limit of " + perSecond + "/s exceeded by " + client.clientId(), retryAfter);
        }
    }
}
