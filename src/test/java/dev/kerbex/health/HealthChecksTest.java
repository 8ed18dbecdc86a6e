package dev.kerbex.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The judgements of the readiness checks, as pure functions. */
class HealthChecksTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final HealthConfig CONFIG = new HealthConfig() {
        public Duration signingKeyMaxAge() {
            return Duration.ofDays(90);
        }

        public Duration keytabMaxAge() {
            return Duration.ofDays(180);
        }

        public Duration warnBefore() {
            return Duration.ofDays(14);
        }
    };

    @Test
    void keytabWhenServicesNamedAndNoKeyThenDown() {
        HealthCheckResponse r = KeytabReadiness.judge(HealthCheckResponse.named("keytab"),
                Set.of("HTTP/a.example.com@EXAMPLE.COM"), Set.of()).build();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow()).containsEntry("reason",
                "the tenants name 1 Kerberos services and the keytabs hold no key (kerbex.kerberos.keytabs unreadable or empty?)")
                .containsEntry("missing", "HTTP/a.example.com@EXAMPLE.COM");
    }

    @Test
    void keytabWhenOneServiceLacksKeyThenUpAndListed() {
        HealthCheckResponse r = KeytabReadiness.judge(HealthCheckResponse.named("keytab"),
                Set.of("HTTP/a@EXAMPLE.COM", "HTTP/b@EXAMPLE.COM"), Set.of("HTTP/a@EXAMPLE.COM")).build();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData().orElseThrow()).containsEntry("missing", "HTTP/b@EXAMPLE.COM").doesNotContainKey("reason");
    }

    @Test
    void keytabWhenNoServicesNamedThenUpWithoutKeys() {
        assertThat(KeytabReadiness.judge(HealthCheckResponse.named("keytab"), Set.of(), Set.of()).build().getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void keyAgesWarnFromWarnBeforeUntilPastMaximum() {
        assertThat(KeyAgeReadiness.warnings(Map.of("HTTP/a@R", NOW.minus(Duration.ofDays(165))),
                Map.of("acme", NOW.minus(Duration.ofDays(75))), CONFIG, NOW)).isEmpty();
        assertThat(KeyAgeReadiness.warnings(Map.of("HTTP/a@R", NOW.minus(Duration.ofDays(170))),
                Map.of("acme", NOW.minus(Duration.ofDays(95)), "globex", NOW.minus(Duration.ofDays(1))), CONFIG, NOW))
                .containsExactly(
                        "keytab entry HTTP/a@R is 170 days old, ages out 2026-12-12T12:00:00Z: rotate it",
                        "signing key of tenant acme is 95 days old, past its maximum age 90 days: rotate it");
    }
}
