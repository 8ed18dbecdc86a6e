package dev.kerbex.observability;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What became of the fetches of trusted issuers' JWK Sets: counted in {@code kerbex_jwks_fetches_total{outcome}}
 * and kept per URI (the last attempt) for the readiness report. URIs come from trusted issuers, which only admins
 * register, and at most {@link #MAX_URIS} are kept.
 */
@Singleton
public class JwksStatus {
    /** For verifiers built outside CDI (unit tests): counts nothing. */
    public static final JwksStatus UNOBSERVED = new JwksStatus(null);
    static final int MAX_URIS = 1000;

    /** The last attempt on one URI: when, and why it failed (null when it succeeded). */
    public record Attempt(Instant at, String failure) {
    }

    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final Counter fetched;
    private final Counter failed;

    @Inject
    public JwksStatus(MeterRegistry registry) {
        this.fetched = registry == null ? null : fetches(registry, "ok");
        this.failed = registry == null ? null : fetches(registry, "failed");
    }

    private static Counter fetches(MeterRegistry registry, String outcome) {
        return Counter.builder("kerbex.jwks.fetches").description("Fetches of trusted issuers' JWK Sets")
                .tag("outcome", outcome).register(registry);
    }

    public void fetched(String jwksUri, Instant at) {
        record(jwksUri, new Attempt(at, null), fetched);
    }

    /** {@code reason} names the URI and the cause (never a token). */
    public void failed(String jwksUri, Instant at, String reason) {
        record(jwksUri, new Attempt(at, reason), failed);
    }

    private void record(String jwksUri, Attempt attempt, Counter counter) {
        if (counter != null) {
            counter.increment();
        }
        if (attempts.size() < MAX_URIS || attempts.containsKey(jwksUri)) {
            attempts.put(jwksUri, attempt);
        }
    }

    /** The last attempt per URI, sorted by URI. */
    public Map<String, Attempt> attempts() {
        return new TreeMap<>(attempts);
    }
}
