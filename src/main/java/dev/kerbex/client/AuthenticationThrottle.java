package dev.kerbex.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Failed client authentications cost the caller, not the service (issue 10, defect 4):
 * <ul>
 * <li>Each failure takes a token from two Bucket4j buckets, one per (tenant, client id) and one per source address.
 * While either is empty, a secret is not even checked: the answer is {@code 429 temporarily_unavailable} with
 * {@code Retry-After} (SPEC §4's rate-limit row), the same for every client id, known or not. The first refusal of
 * a throttled key in each window is audited, the rest are not, so a flood does not turn into a flood of audit rows.
 * A success does not refill a bucket: a guesser cannot reset its budget by interleaving a known secret.</li>
 * <li>bcrypt checks run under a small permit pool, so however many guesses arrive at once, at most that many cores
 * hash; the rest of the service (valid clients, whose secret checks are cached, and everything else) keeps the other
 * cores. A guess that finds no permit within a short wait is answered 429 as well.</li>
 * </ul>
 * Per replica, like the per-client rate limit.
 */
@ApplicationScoped
public class AuthenticationThrottle {
    private static final long PERMIT_WAIT_MILLIS = 2000;

    private final long perClient;
    private final long perAddress;
    private final Duration window;
    private final Semaphore bcrypt;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(15)).build();
    /** Per throttled key, until when its refusals are already audited (nanoTime); bounded like the buckets. */
    private final Cache<String, Long> auditedUntil = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(15)).build();

    @Inject
    public AuthenticationThrottle(KerbexConfig config) {
        this(config.clientAuth().failuresPerClient(), config.clientAuth().failuresPerAddress(),
                config.clientAuth().failureWindow(), config.clientAuth().bcryptConcurrency());
    }

    /**
     * @param perClient  failures a client id may cause per window (0: no limit)
     * @param perAddress failures one source address may cause per window (0: no limit)
     * @param window     the window over which the buckets refill completely
     * @param bcryptConcurrency bcrypt checks running at once ({@code 0}: half the cores, at least one)
     */
    public AuthenticationThrottle(long perClient, long perAddress, Duration window, int bcryptConcurrency) {
        this.perClient = perClient;
        this.perAddress = perAddress;
        this.window = window;
        int permits = bcryptConcurrency > 0 ? bcryptConcurrency
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.bcrypt = new Semaphore(permits, true);
    }

    /** No throttling at all (unit tests of other behaviour). */
    public static AuthenticationThrottle none() {
        return new AuthenticationThrottle(0, 0, Duration.ofMinutes(1), Integer.MAX_VALUE / 2);
    }

    /** Before any secret is checked: refuses while the client id or the address has no failures left. */
    public void admit(String tenantId, String clientId, String address) {
        check(clientKey(tenantId, clientId), perClient, "client authentication: too many failures for this client");
        if (address != null) {
            check(addressKey(address), perAddress, "client authentication: too many failures from this address");
        }
    }

    /** After a failed check: one token from each bucket. */
    public void failed(String tenantId, String clientId, String address) {
        bucket(clientKey(tenantId, clientId), perClient).ifPresent(b -> b.tryConsume(1));
        if (address != null) {
            bucket(addressKey(address), perAddress).ifPresent(b -> b.tryConsume(1));
        }
    }

    /** Runs a bcrypt check under a permit; none within the wait is a 429, as for a throttled client. */
    public boolean hashCheck(BooleanSupplier check) {
        boolean acquired;
        try {
            acquired = bcrypt.tryAcquire(PERMIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new OAuthException(OAuthErrorCode.RATE_LIMITED, "client authentication: busy, retry later",
                    "client authentication: no bcrypt permit within " + PERMIT_WAIT_MILLIS + " ms", 1);
        }
        try {
            return check.getAsBoolean();
        } finally {
            bcrypt.release();
        }
    }

    private void check(String key, long limit, String description) {
        Bucket bucket = bucket(key, limit).orElse(null);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return;
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos) + 1);
        boolean first = claimAudit(key, TimeUnit.SECONDS.toNanos(retryAfter));
        throw new OAuthException(OAuthErrorCode.RATE_LIMITED, description + ", retry later",
                description + " (" + limit + " per " + window + "); further refusals until it refills are not audited",
                retryAfter, first);
    }

    /** True for the first refusal of a throttled key; the next one after {@code nanos} is again the first. */
    private boolean claimAudit(String key, long nanos) {
        long now = System.nanoTime();
        boolean[] first = {false};
        auditedUntil.asMap().compute(key, (k, until) -> {
            if (until == null || until - now <= 0) {
                first[0] = true;
                return now + nanos;
            }
            return until;
        });
        return first[0];
    }

    private Optional<Bucket> bucket(String key, long limit) {
        if (limit <= 0) {
            return Optional.empty();
        }
        return Optional.of(buckets.get(key + "/" + limit, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, window).build())
                .build()));
    }

    private static String clientKey(String tenantId, String clientId) {
        return "client/" + tenantId + "/" + clientId;
    }

    private static String addressKey(String address) {
        return "address/" + address;
    }
}
