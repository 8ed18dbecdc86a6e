package dev.kerbex.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.store.StoreUnavailableException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads one tenant's audit trail, newest first, by keyset paging on {@code (occurred_at, id)}: a page never
 * repeats or skips a row, even while new events are written (they sort before the first page).
 */
@ApplicationScoped
public class AuditQuery {

    /** What to select; null members do not filter. {@code after} is the last row of the previous page. */
    public record Filter(Instant from, Instant to, String outcome, String clientId, String subject, String audience,
            String kind, Position after, int limit) {
    }

    /** A row's place in the newest-first order. */
    public record Position(Instant occurredAt, long id) {
    }

    /** One stored event, as read back; {@code details} is the admin event's JSON object. */
    public record Row(long id, Instant occurredAt, String kind, String outcome, String error, String reason,
            String requestId, String sourceAddress, String actor, String clientId, String subject,
            String subjectTokenType, String requestedTokenType, List<String> audiences, List<String> resources,
            String scopes, UUID policyId, Integer policyRevision, String jti, Instant expiresAt, JsonNode details) {
    }

    /** A page of rows; {@code next} is where the following page starts, null when this was the last. */
    public record Page(List<Row> rows, Position next) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public AuditQuery(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Page find(String tenantId, Filter f) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, occurred_at, kind, outcome, error, reason, request_id, source_address, actor, client_id,
                  subject, subject_token_type, requested_token_type, audiences::text, resources::text, scopes,
                  policy_id, policy_revision, jti, expires_at, details::text
                FROM audit_event WHERE tenant_id = ?""");
        List<Object> args = new ArrayList<>();
        args.add(tenantId);
        if (f.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (f.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(f.outcome());
        }
        if (f.clientId() != null) {
            sql.append(" AND client_id = ?");
            args.add(f.clientId());
        }
        if (f.subject() != null) {
            sql.append(" AND subject = ?");
            args.add(f.subject());
        }
        if (f.audience() != null) {
            sql.append(" AND audiences @> ?::jsonb");
            args.add(toJson(List.of(f.audience())));
        }
        if (f.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(f.kind());
        }
        if (f.after() != null) {
            sql.append(" AND (occurred_at, id) < (?, ?)");
            args.add(Timestamp.from(f.after().occurredAt()));
            args.add(f.after().id());
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
        args.add(f.limit() + 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            if (rows.size() <= f.limit()) {
                return new Page(rows, null);
            }
            List<Row> page = List.copyOf(rows.subList(0, f.limit()));
            Row last = page.get(page.size() - 1);
            return new Page(page, new Position(last.occurredAt(), last.id()));
        } catch (SQLException e) {
            throw new StoreUnavailableException("audit trail", e);
        }
    }

    private Row row(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        Object revision = rs.getObject("policy_revision");
        String details = rs.getString("details");
        return new Row(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("kind"),
                rs.getString("outcome"), rs.getString("error"), rs.getString("reason"), rs.getString("request_id"),
                rs.getString("source_address"), rs.getString("actor"), rs.getString("client_id"),
                rs.getString("subject"), rs.getString("subject_token_type"), rs.getString("requested_token_type"),
                strings(rs.getString("audiences")), strings(rs.getString("resources")), rs.getString("scopes"),
                (UUID) rs.getObject("policy_id"), revision == null ? null : ((Number) revision).intValue(),
                rs.getString("jti"), expires == null ? null : expires.toInstant(),
                details == null ? null : tree(details));
    }

    private List<String> strings(String array) {
        if (array == null) {
            return List.of();
        }
        try {
            return List.of(json.readValue(array, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode tree(String object) {
        try {
            return json.readTree(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
