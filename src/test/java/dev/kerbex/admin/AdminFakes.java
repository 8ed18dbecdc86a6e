package dev.kerbex.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kerbex.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ports of the admin write script as fakes, for plain unit tests of the admin services: a transaction that
 * commits the audit rows and change announcements written in it only when its work returns (and drops them when it
 * throws, as a rollback does), an audit trail in memory, the tenants that exist, and the tenant caches dropped.
 */
final class AdminFakes {
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final String TENANT = "acme";
    static final AdminOperation ADMIN = new AdminOperation(new AdminCaller("root", Set.of(AdminCaller.ADMIN)),
            "req-1", "192.0.2.7");
    static final AdminOperation VIEWER = new AdminOperation(new AdminCaller("vera", Set.of("tenant-viewer:" + TENANT)),
            "req-2", "192.0.2.8");

    final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    final Set<String> tenants = new HashSet<>(Set.of(TENANT));
    /** Committed audit rows, in order. */
    final List<AuditEvent> audit = new ArrayList<>();
    /** Committed change announcements (the change feed), in order. */
    final List<String> announced = new ArrayList<>();
    /** Tenants whose cached snapshot this replica dropped, in order. */
    final List<String> dropped = new ArrayList<>();
    /** Set to make the next transaction fail at commit as two concurrent creations of one natural key do. */
    boolean uniqueViolationAtCommit;

    private List<AuditEvent> pendingAudit;
    private List<String> pendingAnnounced;

    final AdminSupport support = new AdminSupport(tenants::contains, json, "https://kerbex.test/");
    final AdminWrites writes = new AdminWrites(support, new AdminWrites.Transactions() {
        @Override
        public <T> T requiringNew(Supplier<T> work) {
            pendingAudit = new ArrayList<>();
            pendingAnnounced = new ArrayList<>();
            try {
                T done = work.get();
                if (uniqueViolationAtCommit) {
                    uniqueViolationAtCommit = false;
                    throw new IllegalStateException("commit failed",
                            new SQLException("duplicate key value violates unique constraint", "23505"));
                }
                audit.addAll(pendingAudit);
                announced.addAll(pendingAnnounced);
                return done;
            } finally {
                pendingAudit = null;
                pendingAnnounced = null;
            }
        }
    }, new AdminWrites.Audit() {
        @Override
        public void record(AuditEvent event) {
            audit.add(event);
        }

        @Override
        public void recordInTransaction(AuditEvent event) {
            if (pendingAudit == null) {
                throw new IllegalStateException("no transaction");
            }
            pendingAudit.add(event);
        }
    }, new AdminWrites.Changes() {
        @Override
        public void announce(String tenant) {
            if (pendingAnnounced == null) {
                throw new IllegalStateException("no transaction");
            }
            pendingAnnounced.add(tenant);
        }

        @Override
        public void dropCached(String tenant) {
            dropped.add(tenant);
        }
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    /** Forgets the rows, announcements and dropped caches seen so far (after a test's set-up writes). */
    void clearSeen() {
        audit.clear();
        announced.clear();
        dropped.clear();
    }

    static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The one audit row written, with its details parsed. */
    AuditEvent onlyRow() {
        if (audit.size() != 1) {
            throw new AssertionError("expected one audit row, got " + audit);
        }
        return audit.get(0);
    }

    JsonNode details(AuditEvent e) {
        try {
            return json.readTree(e.details());
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    /** Runs {@code call}, which must be refused, and returns the refusal. */
    static AdminProblem refusal(Supplier<?> call) {
        try {
            call.get();
        } catch (AdminProblem p) {
            return p;
        }
        throw new AssertionError("not refused");
    }
}
