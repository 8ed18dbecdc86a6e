package dev.kerbex.store;

import dev.kerbex.jose.JtiReplays;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The cluster-wide replay cache (SPEC §5): one row per seen value, kept until it could no longer be accepted
 * anyway. The primary key makes "first seen" atomic across replicas: an INSERT that conflicts is a replay.
 */
@ApplicationScoped
public class ReplayStore implements JtiReplays {
    private static final Logger LOG = Logger.getLogger(ReplayStore.class);

    private static final String INSERT =
            "INSERT INTO replay_entry (kind, key_hash, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private final AgroalDataSource dataSource;

    public ReplayStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True when {@code keyHash} of this kind was not seen before (and now is, until {@code expiresAt}); its own commit. */
    public boolean firstSeen(String kind, byte[] keyHash, Instant expiresAt) {
        try (Connection c = dataSource.getConnection()) {
            boolean fresh = insert(c, new ReplayClaim(kind, keyHash, expiresAt));
            if (!fresh) {
                dev.kerbex.observability.KerbexMeters.replayHit(kind);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return fresh;
        } catch (SQLException e) {
            throw new StoreUnavailableException("replay cache", e);
        }
    }

    /**
     * Inserts {@code claim} on {@code c} without committing: true when it is new. A concurrent transaction (another
     * request's batch, another replica) holding the same key makes this wait for its outcome, so exactly one of
     * them sees it as new.
     */
    public static boolean insert(Connection c, ReplayClaim claim) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, claim);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Inserts every claim on {@code c} without committing, in one round trip (a JDBC batch, executed in order): for
     * each, true when it is new. A claim repeated later in the list is seen as a replay of the earlier one.
     */
    public static boolean[] insertAll(Connection c, List<ReplayClaim> claims) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (ReplayClaim claim : claims) {
                bind(ps, claim);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            boolean[] fresh = new boolean[claims.size()];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = counts[i] == 1;
            }
            return fresh;
        }
    }

    private static void bind(PreparedStatement ps, ReplayClaim claim) throws SQLException {
        ps.setString(1, claim.kind());
        ps.setBytes(2, claim.keyHash());
        ps.setTimestamp(3, Timestamp.from(claim.expiresAt()));
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
