package dev.kerbex.audit;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.observability.KerbexMeters;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Deletes audit events older than {@code kerbex.audit.retention} (absent: keeps them forever). In batches of
 * {@code purge-batch-size} rows, each its own transaction, so that no purge holds locks or piles up WAL for long; under
 * a PostgreSQL advisory lock, so that of several replicas one purges and the others skip (docs/audit-retention.md).
 */
@Startup // a bad kerbex.audit.* setting stops the start, not the first purge an hour later
@ApplicationScoped
public class AuditRetention {
    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    /** Advisory lock key of the purge ("kerbexau" as a big-endian long): one purge at a time across replicas. */
    static final long LOCK_KEY = 0x6b65726265786175L;

    private final AgroalDataSource dataSource;
    private final Optional<Duration> retention;
    private final int batchSize;
    private final long maxRowsPerRun;
    private final Clock clock;

    @Inject
    public AuditRetention(AgroalDataSource dataSource, KerbexConfig config, Clock clock) {
        this(dataSource, config.audit().retention(), config.audit().purgeBatchSize(), config.audit().purgeMaxRowsPerRun(),
                clock);
    }

    AuditRetention(AgroalDataSource dataSource, Optional<Duration> retention, int batchSize, long maxRowsPerRun,
            Clock clock) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.batchSize = batchSize;
        this.maxRowsPerRun = maxRowsPerRun;
        this.clock = clock;
        if (retention.isPresent() && (retention.get().isNegative() || retention.get().isZero())) {
            throw new IllegalStateException("kerbex.audit.retention must be a positive ISO-8601 duration, e.g. P400D");
        }
        if (batchSize < 1 || maxRowsPerRun < 1) {
            throw new IllegalStateException("kerbex.audit.purge-batch-size and purge-max-rows-per-run must be positive");
        }
    }

    @Scheduled(every = "${kerbex.audit.purge-interval:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (retention.isEmpty()) {
            return;
        }
        try {
            purge(clock.instant().minus(retention.get()));
        } catch (SQLException e) {
            LOG.warnf("audit retention purge failed: %s", e.getMessage());
        }
    }

    /** Deletes events that occurred before {@code cutoff}; the rows deleted, or -1 when another replica is purging. */
    public long purge(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!tryLock(c)) {
                LOG.debug("audit retention: another replica is purging");
                return -1;
            }
            try {
                return deleteInBatches(c, cutoff);
            } finally {
                unlock(c);
            }
        }
    }

    private long deleteInBatches(Connection c, Instant cutoff) throws SQLException {
        long total = 0;
        int batches = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM audit_event WHERE id IN (
                    SELECT id FROM audit_event WHERE occurred_at < ? ORDER BY occurred_at LIMIT ?)""")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            while (total < maxRowsPerRun) {
                ps.setInt(2, (int) Math.min(batchSize, maxRowsPerRun - total));
                int deleted = ps.executeUpdate();
                batches++;
                total += deleted;
                if (deleted > 0) {
                    KerbexMeters.auditPurged(deleted);
                }
                if (deleted < batchSize) {
                    break;
                }
            }
        }
        if (total > 0) {
            LOG.infof("audit retention: %d events older than %s deleted in %d batches", total, cutoff, batches);
        }
        return total;
    }

    /** A session-level lock: held by this connection until unlocked, released by PostgreSQL if the replica dies. */
    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.executeQuery().close();
        }
    }
}
