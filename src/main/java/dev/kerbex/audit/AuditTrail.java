package dev.kerbex.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.store.DbText;
import dev.kerbex.store.ReplayClaim;
import dev.kerbex.store.ReplayStore;
import dev.kerbex.observability.KerbexMeters;
import dev.kerbex.store.StoreUnavailableException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * The durable sink of audit events. {@link #record} and {@link #commit} return only once PostgreSQL has committed
 * the rows (synchronous commit), so a response is never sent for an unrecorded decision (SPEC §10).
 */
@ApplicationScoped
public class AuditTrail {
    private static final String INSERT = """
            INSERT INTO audit_event (occurred_at, tenant_id, kind, outcome, error, reason, request_id, source_address,
              client_id, subject, subject_token_type, requested_token_type, audiences, resources, scopes, policy_id,
              policy_revision, jti, expires_at, actor, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb)""";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final CommitBatcher batcher;

    public AuditTrail(AgroalDataSource dataSource, ObjectMapper json, KerbexConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.batcher = new CommitBatcher(dataSource, this::write, config.commits().batch() ? Math.max(1, config.commits().writers()) : 0);
    }

    @PreDestroy
    void stop() {
        batcher.close();
    }

    /** Writes the event durably; throws {@link StoreUnavailableException} when it cannot, and the request then fails rather than go unrecorded. */
    public void record(AuditEvent e) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, e);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException ex) {
            KerbexMeters.auditWriteFailure();
            throw new StoreUnavailableException("audit trail", ex);
        }
    }

    /**
     * Writes the event on the connection of the caller's transaction, which must be active: an admin change, its
     * audit row and its change notification commit together or not at all (SPEC §8).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordInTransaction(AuditEvent e) {
        Panache.getEntityManager().unwrap(Session.class).doWork(c -> insert(c, e));
    }

    /**
     * Writes one request's outcome durably in one transaction: its replay claims (SPEC §5), then {@code event}, or,
     * when a claim was seen before, {@code onReplay}'s row for the first such claim instead. Concurrent callers'
     * transactions are committed together ({@link CommitBatcher}); this returns once the commit holding this
     * request's rows is done.
     *
     * @return the claim found to be a replay, or null when every claim was new and {@code event} is recorded
     * @throws StoreUnavailableException when the rows could not be made durable
     */
    public ReplayClaim commit(List<ReplayClaim> claims, AuditEvent event, Function<ReplayClaim, AuditEvent> onReplay) {
        try {
            return batcher.commit(new CommitBatcher.Unit(List.copyOf(claims), event, onReplay));
        } catch (StoreUnavailableException e) {
            KerbexMeters.auditWriteFailure();
            throw e;
        }
    }

    /**
     * Writes the units' rows on {@code c} (no commit), in order: for each, the replayed claim or null, as
     * {@link #commit}. When no unit has more than one claim (the usual case: one authenticator, or none), every
     * claim goes in one JDBC batch and then every audit row in another, so a batch of N exchanges costs the database
     * two round trips instead of 2N; a unit with several claims stops at its first replay, so those are written one
     * by one.
     */
    List<ReplayClaim> write(Connection c, List<CommitBatcher.Unit> units) throws SQLException {
        List<ReplayClaim> results = new ArrayList<>(units.size());
        if (units.stream().anyMatch(u -> u.claims().size() > 1)) {
            for (CommitBatcher.Unit unit : units) {
                results.add(writeOne(c, unit));
            }
            return results;
        }
        List<ReplayClaim> claims = new ArrayList<>(units.size());
        units.forEach(u -> claims.addAll(u.claims()));
        boolean[] fresh = claims.isEmpty() ? new boolean[0] : ReplayStore.insertAll(c, claims);
        List<AuditEvent> events = new ArrayList<>(units.size());
        int next = 0;
        for (CommitBatcher.Unit unit : units) {
            ReplayClaim replayed = null;
            if (!unit.claims().isEmpty() && !fresh[next++]) {
                replayed = unit.claims().get(0);
                KerbexMeters.replayHit(replayed.kind());
            }
            results.add(replayed);
            events.add(replayed == null ? unit.event() : unit.onReplay().apply(replayed));
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (AuditEvent e : events) {
                bind(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return results;
    }

    private ReplayClaim writeOne(Connection c, CommitBatcher.Unit unit) throws SQLException {
        for (ReplayClaim claim : unit.claims()) {
            if (!ReplayStore.insert(c, claim)) {
                KerbexMeters.replayHit(claim.kind());
                insert(c, unit.onReplay().apply(claim));
                return claim;
            }
        }
        insert(c, unit.event());
        return null;
    }

    private void insert(Connection c, AuditEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, e);
            ps.executeUpdate();
        }
    }

    private void bind(PreparedStatement ps, AuditEvent e) throws SQLException {
        int i = 0;
        ps.setTimestamp(++i, Timestamp.from(e.occurredAt()));
        ps.setString(++i, DbText.clean(e.tenantId(), 63));
        ps.setString(++i, e.kind());
        ps.setString(++i, e.outcome().dbValue());
        ps.setString(++i, e.error());
        ps.setString(++i, DbText.clean(e.reason(), 2000));
        ps.setString(++i, DbText.clean(e.requestId(), 64));
        ps.setString(++i, DbText.clean(e.sourceAddress(), 64));
        ps.setString(++i, DbText.clean(e.clientId(), 255));
        ps.setString(++i, DbText.clean(e.subject(), 1024));
        ps.setString(++i, e.subjectTokenType());
        ps.setString(++i, e.requestedTokenType());
        ps.setString(++i, toJson(e.audiences()));
        ps.setString(++i, toJson(e.resources()));
        ps.setString(++i, DbText.clean(e.scopes(), 2048));
        ps.setObject(++i, e.policyId(), Types.OTHER);
        ps.setObject(++i, e.policyRevision(), Types.INTEGER);
        ps.setString(++i, e.jti());
        ps.setTimestamp(++i, e.expiresAt() == null ? null : Timestamp.from(e.expiresAt()));
        ps.setString(++i, DbText.clean(e.actor(), 255));
        ps.setString(++i, DbText.cleanJson(e.details()));
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values.stream().map(v -> DbText.clean(v, 1024)).toList());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
