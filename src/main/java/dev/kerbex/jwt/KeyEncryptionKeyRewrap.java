package dev.kerbex.jwt;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * At start, before the first request: every stored signing key must decrypt under a configured key-encryption key, and
 * each one wrapped by another than the first ({@code kerbex.key-encryption-key}) is re-wrapped under the first, all in
 * one transaction (docs/runbooks/key-encryption-key-rotation.md). A key that decrypts under none stops the start with
 * one message naming the ids of the missing key-encryption keys, instead of a 500 on the first token request.
 */
@ApplicationScoped
public class KeyEncryptionKeyRewrap {
    private static final Logger LOG = Logger.getLogger(KeyEncryptionKeyRewrap.class);

    private final AgroalDataSource dataSource;
    private final KeyEncryptionKey kek;

    public KeyEncryptionKeyRewrap(AgroalDataSource dataSource, KeyEncryptionKey kek) {
        this.dataSource = dataSource;
        this.kek = kek;
    }

    void onStart(@Observes @Priority(20) StartupEvent start) throws SQLException {
        rewrap();
    }

    /** Re-wraps every signing key not under the first key-encryption key; how many it re-wrapped. */
    int rewrap() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int rewrapped = rewrap(c);
                c.commit();
                if (rewrapped > 0) {
                    LOG.infof("re-wrapped %d signing keys under key-encryption key id %s", rewrapped, kek.currentId());
                }
                return rewrapped;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int rewrap(Connection c) throws SQLException {
        record Stored(String tenantId, String kid, byte[] envelope) {
        }
        List<Stored> rows = new ArrayList<>();
        // FOR UPDATE: a replica starting at the same time waits, then sees the rows already re-wrapped.
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tenant_id, kid, private_key FROM signing_key ORDER BY tenant_id, kid FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Stored(rs.getString(1), rs.getString(2), rs.getBytes(3)));
            }
        }
        Set<String> missing = new TreeSet<>();
        int unreadable = 0;
        int rewrapped = 0;
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE signing_key SET private_key = ? WHERE tenant_id = ? AND kid = ?")) {
            for (Stored row : rows) {
                if (!kek.needsRewrap(row.envelope())) {
                    continue;
                }
                String aad = SigningKeys.aad(row.tenantId(), row.kid());
                byte[] plain;
                try {
                    plain = kek.decrypt(row.envelope(), aad);
                } catch (IllegalStateException e) {
                    unreadable++;
                    String id = KeyEncryptionKey.idOf(row.envelope());
                    missing.add(id == null ? "(unnamed: written before several keys)" : id);
                    continue;
                }
                update.setBytes(1, kek.encrypt(plain, aad));
                update.setString(2, row.tenantId());
                update.setString(3, row.kid());
                update.addBatch();
                rewrapped++;
            }
            if (unreadable > 0) {
                throw new IllegalStateException(unreadable + " of " + rows.size() + " stored signing keys do not decrypt"
                        + " under the configured key-encryption keys " + kek.ids() + "; they were wrapped by key id(s) "
                        + missing + ". Configure that key as kerbex.key-encryption-key or in"
                        + " kerbex.key-encryption-keys.previous (docs/runbooks/key-encryption-key-rotation.md).");
            }
            if (rewrapped > 0) {
                update.executeBatch();
            }
        }
        return rewrapped;
    }
}
