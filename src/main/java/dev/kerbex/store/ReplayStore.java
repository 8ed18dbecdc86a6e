package dev.kerbex.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The cluster-wide replay cache (SPEC §5): one row per seen value, kept until it could no longer be accepted
 * anyway. The primary key makes "first seen" atomic across replicas: an INSERT that conflicts is a replay.
 */
@ApplicationScoped
public class ReplayStore {
    private static final Logger LOG = Logger.getLogger(ReplayStore.class);

    private final AgroalDataSource dataSource;

    public ReplayStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True when {@code keyHash} of this kind was not seen before (and now is, until {@code expiresAt}). */
    public boolean firstSeen(String kind, byte[] keyHash, Instant expiresAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO replay_entry (kind, key_hash, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, kind);
            ps.setBytes(2, keyHash);
            ps.setTimestamp(3, Timestamp.from(expiresAt));
            int inserted = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return inserted == 1;
        } catch (SQLException e) {
            throw new StoreUnavailableException("replay cache", e);
        }
    }

    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM replay_entry WHERE expires_at < now()")) {
            int n = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            LOG.debugf("replay cache: %d expired entries removed", n);
        } catch (SQLException e) {
            LOG.warnf("replay cache purge failed: %s", e.getMessage());
        }
    }
}
