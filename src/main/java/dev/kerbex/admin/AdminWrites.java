package dev.kerbex.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.audit.AuditEvent;
import dev.kerbex.audit.AuditTrail;
import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.UniqueViolation;
import dev.kerbex.store.Write;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The end of every admin write, written once (SPEC §8): the change, its admin audit event and its announcement to
 * the other replicas commit in one transaction; a unique violation (a concurrent write took the natural key) is
 * answered as the aggregate says; this replica's cached tenant is dropped at once; a gone row is 404, a stale
 * {@code If-Match} 412. A refusal anywhere in the script is audited on its own, and nothing changes.
 */
@ApplicationScoped
class AdminWrites {
    /** The policy a write is about, for its audit event. */
    record PolicyRef(UUID id, Integer revision) {
    }

    /** What the audit event says of one change. */
    record Change(String reason, ObjectNode details) {
    }

    private final AdminSupport support;
    private final AuditTrail audit;
    private final TenantRepository tenants;
    private final TenantDirectory directory;

    AdminWrites(AdminSupport support, AuditTrail audit, TenantRepository tenants, TenantDirectory directory) {
        this.support = support;
        this.audit = audit;
        this.tenants = tenants;
        this.directory = directory;
    }

    /** Runs a write's checks and write; an {@link AdminProblem} it throws is audited as a refusal and rethrown. */
    <T> T auditingRefusals(AdminOperation op, String tenant, UUID policyId, String action, String resource,
            Supplier<T> script) {
        try {
            return script.get();
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, policyId, action, resource);
        }
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
            w = QuarkusTransaction.requiringNew().call(() -> {
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
            case DONE -> directory.invalidate(tenant);
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
        audit.recordInTransaction(AuditEvent.admin(Instant.now(), tenant, AuditEvent.Outcome.SUCCESS, change.reason(),
                op.requestId(), op.source(), op.caller().name(), policy == null ? null : policy.id(),
                policy == null ? null : policy.revision(), support.json(change.details())));
        tenants.announceChange(tenant); // delivered to every replica when the transaction commits
    }
}
