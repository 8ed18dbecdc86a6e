package dev.kerbex.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Revoked tokens (RFC 7009), shared by every replica: one row per (tenant, jti), kept until the token's own
 * {@code exp}, after which the token is refused as expired anyway and the row is purged. Read on every JWT of the
 * tenant that is exchanged or introspected, by primary key and without a cache, so a revocation is honoured at
 * once on every replica.
 */
@ApplicationScoped
public class RevocationStore {
    private static final Logger LOG = Logger.getLogger(RevocationStore.class);

    private final AgroalDataSource dataSource;

    public RevocationStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the revocation; revoking an already revoked token changes nothing (RFC 7009 §2.2: still 200). */
    public void revoke(String tenantId, String jti, String clientId, Instant expiresAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO revoked_token (tenant_id, jti, client_id, expires_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""")) {
            ps.setString(1, tenantId);
            ps.setString(2, jti);
            ps.setString(3, clientId);
            ps.setTimestamp(4, Timestamp.from(expiresAt));
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("revocation store", e);
        }
    }

    public boolean isRevoked(String tenantId, String jti) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM revoked_token WHERE tenant_id = ? AND jti = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, jti);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("revocation store", e);
        }
    }

    @Scheduled(every = "300s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM revoked_token WHERE expires_at < now()")) {
            int n = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            LOG.debugf("revocations: %d rows of expired tokens removed", n);
        } catch (SQLException e) {
            LOG.warnf("revocation purge failed: %s", e.getMessage());
        }
    }
}
