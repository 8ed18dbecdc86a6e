package dev.kerbex.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.testing.KerbexTestResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kerbex.audit.retention against the test PostgreSQL. The rows are in 2001, older than any other test's, in a tenant
 * of their own: a purge with a 2001 cutoff touches nothing else.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AuditRetentionTest {
    static final String TENANT = "retention-test";
    static final Instant NOW = Instant.parse("2001-02-01T00:00:00Z");

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void rows() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement("DELETE FROM audit_event WHERE tenant_id = ?")) {
            delete.setString(1, TENANT);
            delete.executeUpdate();
        }
        // Ten events on 2001-01-01 … 2001-01-10 and five on 2001-01-25 … 2001-01-29.
        for (int day = 1; day <= 10; day++) {
            insert(Instant.parse("2001-01-01T12:00:00Z").plus(Duration.ofDays(day - 1)));
        }
        for (int day = 25; day <= 29; day++) {
            insert(Instant.parse("2001-01-01T12:00:00Z").plus(Duration.ofDays(day - 1)));
        }
    }

    @Test
    void purgeWhenRetentionTwentyDaysThenOlderDeletedNewerKept() throws Exception {
        double before = purgedCounter();
        AuditRetention retention = retention(Duration.ofDays(20), 4, 1_000_000);

        assertThat(retention.purge(NOW.minus(Duration.ofDays(20)))).isEqualTo(10);

        assertThat(days()).containsExactly(25, 26, 27, 28, 29);
        assertThat(purgedCounter() - before).isEqualTo(10.0);
        assertThat(retention.purge(NOW.minus(Duration.ofDays(20)))).isZero();
    }

    @Test
    void purgeWhenMoreThanOneRunsWorthThenOldestFirstAndNextRunContinues() throws Exception {
        AuditRetention retention = retention(Duration.ofDays(20), 3, 7);

        assertThat(retention.purge(NOW.minus(Duration.ofDays(20)))).isEqualTo(7);
        assertThat(days()).containsExactly(8, 9, 10, 25, 26, 27, 28, 29);
        assertThat(retention.purge(NOW.minus(Duration.ofDays(20)))).isEqualTo(3);
        assertThat(days()).containsExactly(25, 26, 27, 28, 29);
    }

    @Test
    void purgeWhenAnotherReplicaHoldsTheLockThenSkipsAndDeletesNothing() throws Exception {
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, AuditRetention.LOCK_KEY);
            lock.executeQuery().close();
            try {
                assertThat(retention(Duration.ofDays(20), 3, 100).purge(NOW.minus(Duration.ofDays(20)))).isEqualTo(-1);
                assertThat(days()).hasSize(15);
            } finally {
                try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, AuditRetention.LOCK_KEY);
                    unlock.executeQuery().close();
                }
            }
        }
        assertThat(retention(Duration.ofDays(20), 3, 100).purge(NOW.minus(Duration.ofDays(20)))).isEqualTo(10);
    }

    @Test
    void scheduledWhenNoRetentionThenKeepsEverything() throws Exception {
        AuditRetention forever = new AuditRetention(dataSource, Optional.empty(), 3, 100, Clock.fixed(NOW, ZoneOffset.UTC));

        forever.scheduled();

        assertThat(days()).hasSize(15);
    }

    @Test
    void scheduledWhenRetentionSetThenPurgesRelativeToTheClock() throws Exception {
        retention(Duration.ofDays(10), 5, 100).scheduled();

        assertThat(days()).containsExactly(25, 26, 27, 28, 29);
    }

    @Test
    void constructorWhenRetentionNotPositiveThenRefused() {
        assertThatThrownBy(() -> retention(Duration.ZERO, 3, 100)).isInstanceOf(IllegalStateException.class)
                .hasMessage("kerbex.audit.retention must be a positive ISO-8601 duration, e.g. P400D");
        assertThatThrownBy(() -> retention(Duration.ofDays(1), 0, 100)).isInstanceOf(IllegalStateException.class)
                .hasMessage("kerbex.audit.purge-batch-size and purge-max-rows-per-run must be positive");
    }

    private AuditRetention retention(Duration keep, int batch, long maxPerRun) {
        return new AuditRetention(dataSource, Optional.of(keep), batch, maxPerRun, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void insert(Instant at) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_event (occurred_at, tenant_id, kind, outcome) VALUES (?, ?, 'token', 'issued')")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, TENANT);
            ps.executeUpdate();
        }
    }

    /** The days of January 2001 of the rows left, in order. */
    private List<Integer> days() throws Exception {
        List<Integer> days = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT occurred_at FROM audit_event WHERE tenant_id = ? ORDER BY occurred_at")) {
            ps.setString(1, TENANT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getTimestamp(1).toInstant().atZone(ZoneOffset.UTC).getDayOfMonth());
                }
            }
        }
        return days;
    }

    private static double purgedCounter() {
        var counter = Metrics.globalRegistry.find("kerbex.audit.purged.rows").counter();
        return counter == null ? 0.0 : counter.count();
    }
}
