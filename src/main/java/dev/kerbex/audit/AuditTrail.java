package dev.kerbex.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.store.StoreUnavailableException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * The durable sink of audit events. {@link #record} returns only once PostgreSQL has committed the row
 * (autocommit, synchronous commit), so a response is never sent for an unrecorded decision (SPEC §10).
 */
@ApplicationScoped
public class AuditTrail {
    private static final String INSERT = """
            INSERT INTO audit_event (occurred_at, tenant_id, kind, outcome, error, reason, request_id, source_address,
              client_id, subject, subject_token_type, requested_token_type, audiences, resources, scopes, policy_id,
              policy_revision, jti, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)""";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public AuditTrail(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Writes the event durably; throws {@link StoreUnavailableException} when it cannot, and the request then fails rather than go unrecorded. */
    public void record(AuditEvent e) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = 0;
            ps.setTimestamp(++i, Timestamp.from(e.occurredAt()));
            ps.setString(++i, e.tenantId());
            ps.setString(++i, e.kind());
            ps.setString(++i, e.outcome().dbValue());
            ps.setString(++i, e.error());
            ps.setString(++i, truncate(e.reason(), 2000));
            ps.setString(++i, e.requestId());
            ps.setString(++i, e.sourceAddress());
            ps.setString(++i, truncate(e.clientId(), 255));
            ps.setString(++i, truncate(e.subject(), 1024));
            ps.setString(++i, e.subjectTokenType());
            ps.setString(++i, e.requestedTokenType());
            ps.setString(++i, toJson(e.audiences()));
            ps.setString(++i, toJson(e.resources()));
            ps.setString(++i, truncate(e.scopes(), 2048));
            ps.setObject(++i, e.policyId(), Types.OTHER);
            ps.setObject(++i, e.policyRevision(), Types.INTEGER);
            ps.setString(++i, e.jti());
            ps.setTimestamp(++i, e.expiresAt() == null ? null : Timestamp.from(e.expiresAt()));
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException ex) {
            throw new StoreUnavailableException("audit trail", ex);
        }
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values.stream().map(v -> truncate(v, 1024)).toList());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Bounded, and without NUL characters, which PostgreSQL text cannot hold: a reason quoting a client's claim
     * value (a NUL in {@code htm}) must be recorded, not turn the answer into a 503.
     */
    private static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

}
