package dev.kerbex.client;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
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
    private final int perSecond;
    private final LoadingCache<String, Bucket> buckets;

    public RateLimiter(KerbexConfig config) {
        this.perSecond = config.rateLimit().perClientPerSecond();
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10))
                .build(key -> Bucket.builder()
                        .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                        .build());
    }

    public void admit(OAuthClient client) {
        if (perSecond <= 0) {
            return;
        }
        ConsumptionProbe probe = buckets.get(client.tenantId() + "/" + client.clientId()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long retryAfter = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new OAuthException(OAuthErrorCode.RATE_LIMITED, "client: rate limit exceeded, retry later",
                    "rate limit of " + perSecond + "/s exceeded by " + client.clientId(), retryAfter);
        }
    }
}
