package dev.kerbex.observability;

import java.time.Duration;

import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.TokenRequest;
import dev.kerbex.protocol.TokenType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token endpoint's latency and decisions: {@code kerbex_token_exchange_seconds} (a histogram with fixed buckets)
 * labelled {@code tenant}, {@code path} ({@link #path}), {@code outcome} (issued, refused, error) and {@code error}
 * (the {@link OAuthErrorCode} in lower case, or none), plus {@code kerbex_rate_limit_refusals_total{tenant}}. Every
 * label comes from a closed set or from the tenants the admins created: no client id, subject or address.
 */
public final class ExchangeMetrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    /** The timers by their labels (a bounded set, see above): the token endpoint looks one up, it builds none. */
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    public ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * kerberos_jwt (AP-REQ → JWT), jwt_jwt (JWT → JWT), jwt_ticket (JWT → Kerberos ticket), or unknown while the
     * request did not parse.
     */
    public static String path(TokenRequest request) {
        if (request == null || request.subjectTokenType() == null || request.requestedTokenType() == null) {
            return "unknown";
        }
        String from = request.subjectTokenType() == TokenType.KERBEROS_AP_REQ ? "kerberos" : "jwt";
        String to = request.requestedTokenType().isKerberosTicket() ? "ticket" : "jwt";
        return from + "_" + to;
    }

    /** One answered exchange; {@code error} null when a token was issued. */
    public void record(String tenant, TokenRequest request, String outcome, OAuthErrorCode error, long nanos) {
        String code = error == null ? "none" : error.name().toLowerCase(java.util.Locale.ROOT);
        String path = path(request);
        timers.computeIfAbsent(List.of(tenant, path, outcome, code), k -> Timer.builder("kerbex.token.exchange")
                        .description("Token exchanges answered, by path and outcome")
                        .tags("tenant", tenant, "path", path, "outcome", outcome, "error", code)
                        .serviceLevelObjectives(BUCKETS).register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (error == OAuthErrorCode.RATE_LIMITED) {
            Counter.builder("kerbex.rate.limit.refusals").description("Token requests refused by a client's rate limit")
                    .tag("tenant", tenant).register(registry).increment();
        }
    }
}
