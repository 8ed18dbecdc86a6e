package dev.kerbex.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.audit.AuditEvent;
import dev.kerbex.audit.AuditTrail;
import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.policy.FieldError;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.UniqueViolation;
import dev.kerbex.store.Write;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The end of every admin write, written once (SPEC §8): the change, its admin audit event and its announcement to
 * the other replicas commit in one transaction; a unique violation (a concurrent write took the natural key) is
 * answered as the aggregate says; this replica's cached tenant is dropped at once; a gone row is 404, a stale
 * {@code If-Match} 412. A refusal anywhere in the script is audited on its own, and nothing changes.
 *
 * <p>It owns its ports, as the token side's use case does: a plain unit test gives it fakes, production the Quarkus
 * transaction, the {@link AuditTrail}, the change feed and the tenant cache.
 */
@ApplicationScoped
class AdminWrites {
    /** The policy a write is about, for its audit event. */
    record PolicyRef(UUID id, Integer revision) {
    }

    /** What the audit event says of one change. */
    record Change(String reason, ObjectNode details) {
    }

    /** Runs {@code work} in a transaction of its own, committed when it returns ({@link QuarkusTransactions}). */
    interface Transactions {
        <T> T requiringNew(Supplier<T> work);
    }

    /** The durable audit trail ({@link AuditTrail} in production). */
    interface Audit {
        /** Commits {@code event} on its own (a refusal: nothing else changes). */
        void record(AuditEvent event);

        /** Writes {@code event} in the caller's transaction, which commits it with the change it describes. */
        void recordInTransaction(AuditEvent event);
    }

    /** How the token endpoints learn of a change ({@link TenantRepository} and {@link TenantDirectory}). */
    interface Changes {
        /** Tells every replica, when the caller's transaction commits, that the tenant changed. */
        void announce(String tenant);

        /** Drops this replica's cached snapshot of the tenant at once (after the commit). */
        void dropCached(String tenant);
    }

    private final AdminSupport support;
    private final Transactions transactions;
    private final Audit audit;
    private final Changes changes;
    private final Clock clock;

    @Inject
    AdminWrites(AdminSupport support, QuarkusTransactions transactions, AuditTrail audit, TenantRepository tenants,
            TenantDirectory directory, Clock clock) {
        this(support, transactions, new Audit() {
            @Override
            public void record(AuditEvent event) {
                audit.record(event);
            }

            @Override
            public void recordInTransaction(AuditEvent event) {
                audit.recordInTransaction(event);
            }
        }, new Changes() {
            @Override
            public void announce(String tenant) {
                tenants.announceChange(tenant);
            }

            @Override
            public void dropCached(String tenant) {
                directory.invalidate(tenant);
            }
        }, clock);
    }

    /** On its ports alone (a plain unit test needs no container). */
    AdminWrites(AdminSupport support, Transactions transactions, Audit audit, Changes changes, Clock clock) {
        this.support = support;
        this.transactions = transactions;
        this.audit = audit;
        this.changes = changes;
        this.clock = clock;
    }

    /** Runs a write's checks and write; an {@link AdminProblem} it throws is audited as a refusal and rethrown. */
    <T> T auditingRefusals(AdminOperation op, String tenant, UUID policyId, String action, String resource,
            Supplier<T> script) {
        try {
            return script.get();
        } catch (AdminProblem p) {
            throw refused(p, op, tenant, policyId, action, resource);
        }
    }

    /** Audits a refused write, then returns the problem to throw: the data stays as it was. */
    AdminProblem refused(AdminProblem problem, AdminOperation op, String tenant, UUID policyId, String action,
            String resource) {
        ObjectNode d = support.details(action, resource).put("status", problem.status());
        List<FieldError> errors = problem.errors();
        if (!errors.isEmpty()) {
            var list = d.putArray("errors");
            errors.forEach(e -> list.addObject().put("pointer", e.pointer()).put("detail", e.message()));
        }
        audit.record(AuditEvent.admin(clock.instant(), tenant, AuditEvent.Outcome.FAILURE, action + " " + resource
                + " refused", op.requestId(), op.source(), op.caller().name(), policyId, null, support.json(d)));
        return problem;
    }

    /** Runs {@code work} in a transaction of its own (a write whose audit event depends on what it made). */
    <T> T inTransaction(Supplier<T> work) {
        return transactions.requiringNew(work);
    }

    /**
     * Commits {@code write} with its audit event and change notification, and answers with the written value.
     *
     * @param onUnique what a unique violation at commit means (CONFLICT, or STALE for a raced re-creation)
     * @param onConflict the refusal when a natural key is taken
     * @param policy the policy written, for the audit event; null when the write is not about a policy
     */
    <T> T commit(AdminOperation op, String tenant, Change change, Supplier<Write<T>> write, Write.Status onUnique,
            Supplier<AdminProblem> onConflict, Function<T, PolicyRef> policy) {
        Write<T> w;
        try {
            w = transactions.requiringNew(() -> {
                Write<T> done = write.get();
                if (done.done()) {
                    PolicyRef p = policy == null ? null : policy.apply(done.value());
                    recordInTransaction(op, tenant, change, p);
                }
                return done;
            });
        } catch (RuntimeException e) {
            if (!UniqueViolation.isCause(e)) {
                throw e;
            }
            w = Write.of(onUnique);
        }
        switch (w.status()) {
            case NOT_FOUND -> throw AdminProblem.notFound();
            case STALE -> throw AdminProblem.preconditionFailed();
            case CONFLICT -> throw onConflict.get();
            case DONE -> changes.dropCached(tenant);
        }
        return w.value();
    }

    /** As {@link #commit} for a write that can neither conflict nor race on a natural key. */
    <T> T commit(AdminOperation op, String tenant, Change change, Supplier<Write<T>> write) {
        return commit(op, tenant, change, write, Write.Status.CONFLICT, () -> {
            throw new IllegalStateException("no natural key to conflict on");
        }, null);
    }

    /** The audit event and change notification of a change made in the caller's transaction (a key rotation). */
    void recordInTransaction(AdminOperation op, String tenant, Change change, PolicyRef policy) {
        audit.recordInTransaction(AuditEvent.admin(clock.instant(), tenant, AuditEvent.Outcome.SUCCESS, change.reason(),
                op.requestId(), op.source(), op.caller().name(), policy == null ? null : policy.id(),
                policy == null ? null : policy.revision(), support.json(change.details())));
        changes.announce(tenant); // delivered to every replica when the transaction commits
    }
}
