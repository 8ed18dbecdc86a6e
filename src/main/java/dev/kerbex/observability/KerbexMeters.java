package dev.kerbex.observability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * Meters recorded from code that is not a CDI bean or should not grow a constructor parameter for one line (the
 * Kerberos client, the replay store, the audit trail, the secret hasher). They go to Micrometer's global registry,
 * which Quarkus joins to the Prometheus registry served at {@code /q/metrics}. Labels are closed sets or come from
 * configuration (KDC addresses from krb5.conf, replay kinds from the code).
 */
public final class KerbexMeters {
    private static final Duration[] KDC_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10)};

    private KerbexMeters() {
    }

    /** {@code kerbex_kdc_call_seconds{kdc, step, outcome}}: one request to one KDC (outcome ok or failed). */
    public static void kdcCall(String kdc, String step, boolean ok, long nanos) {
        Timer.builder("kerbex.kdc.call").description("Requests to KDCs, by KDC address and S4U step")
                .tags("kdc", kdc, "step", step, "outcome", ok ? "ok" : "failed").serviceLevelObjectives(KDC_BUCKETS)
                .register(Metrics.globalRegistry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code kerbex_replay_hits_total{kind}}: an authenticator or assertion presented a second time. */
    public static void replayHit(String kind) {
        Counter.builder("kerbex.replay.hits").description("Replayed Kerberos authenticators and client assertions")
                .tag("kind", kind).register(Metrics.globalRegistry).increment();
    }

    /** {@code kerbex_audit_write_failures_total}: audit rows that could not be made durable (the request failed). */
    public static void auditWriteFailure() {
        Counter.builder("kerbex.audit.write.failures").description("Audit writes that failed (the request got 503)")
                .register(Metrics.globalRegistry).increment();
    }

    /** {@code kerbex_bcrypt_checks_seconds{outcome}}: client-secret hash checks (match or mismatch). */
    public static void bcryptCheck(boolean match, long nanos) {
        Timer.builder("kerbex.bcrypt.checks").description("bcrypt checks of client secrets")
                .tag("outcome", match ? "match" : "mismatch").register(Metrics.globalRegistry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code kerbex_audit_purged_rows_total}: audit rows deleted by the retention purge (kerbex.audit.retention). */
    public static void auditPurged(long rows) {
        Counter.builder("kerbex.audit.purged.rows").description("Audit rows deleted by the retention purge")
                .register(Metrics.globalRegistry).increment(rows);
    }
}
