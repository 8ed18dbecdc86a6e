package dev.kerbex.store;

import static dev.kerbex.store.Guarded.em;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's policies and their history (SPEC §8): every change — the admin API's or the declarative file's — adds
 * one immutable revision row naming its author, and a policy's name is unique within its tenant. Documents are
 * JSON; what they mean is for the layers above.
 */
@ApplicationScoped
public class PolicyRepository {

    /** A stored policy's current state; {@code document} is its JSON without id and revision. */
    public record StoredPolicy(String id, int revision, String name, String document) {
    }

    /** One immutable row of a policy's history; {@code document} is null for a deletion. */
    public record Revision(int revision, String name, String document, boolean deleted, String author,
            Instant createdAt) {
    }

    private final ObjectMapper json;

    public PolicyRepository(ObjectMapper json) {
        this.json = json;
    }

    @Transactional
    public List<StoredPolicy> all(String tenantId) {
        return em().createQuery("from PolicyEntity where tenantId = ?1 order by name", PolicyEntity.class)
                .setParameter(1, tenantId).getResultList().stream().map(PolicyRepository::toStored).toList();
    }

    @Transactional
    public Optional<StoredPolicy> find(String tenantId, UUID id) {
        PolicyEntity e = em().find(PolicyEntity.class, id);
        return e == null || !e.tenantId.equals(tenantId) ? Optional.empty() : Optional.of(toStored(e));
    }

    /** The whole history, oldest first; also after the policy was deleted. Empty when it never existed here. */
    @Transactional
    public List<Revision> revisions(String tenantId, UUID id) {
        return em().createQuery("from PolicyRevisionEntity where tenantId = ?1 and policyId = ?2 order by revision",
                PolicyRevisionEntity.class).setParameter(1, tenantId).setParameter(2, id).getResultList().stream()
                .map(r -> new Revision(r.revision, r.name, r.document, r.deleted, r.author, r.createdAt)).toList();
    }

    /** Whether another policy of the tenant than {@code except} has this name: the one uniqueness check. */
    @Transactional
    public boolean nameTaken(String tenantId, String name, UUID except) {
        return em().createQuery("select id from PolicyEntity where tenantId = ?1 and name = ?2", UUID.class)
                .setParameter(1, tenantId).setParameter(2, name).getResultStream()
                .anyMatch(found -> !found.equals(except));
    }

    /** Creates a policy at revision 1; CONFLICT when the tenant already has one of that name. */
    @Transactional
    public Write<StoredPolicy> create(String tenantId, String name, String document, String author) {
        if (nameTaken(tenantId, name, null)) {
            return Write.of(Write.Status.CONFLICT);
        }
        PolicyEntity e = newEntity(tenantId, UUID.randomUUID(), Instant.now());
        nextRevision(e, true, name, document, author, e.createdAt);
        em().flush();
        return Write.done(toStored(e));
    }

    /** Replaces a policy's document when its revision is still {@code expectedRevision}. */
    @Transactional
    public Write<StoredPolicy> update(String tenantId, UUID id, int expectedRevision, String name, String document,
            String author) {
        return Guarded.write(PolicyEntity.class, id, e -> e.tenantId.equals(tenantId), e -> e.revision,
                expectedRevision, e -> {
                    if (nameTaken(tenantId, name, id)) {
                        return Write.Status.CONFLICT;
                    }
                    nextRevision(e, false, name, document, author, Instant.now());
                    return Write.Status.DONE;
                }, PolicyRepository::toStored);
    }

    /** Deletes a policy; its history stays, closed by a revision marked deleted (the answer's revision). */
    @Transactional
    public Write<StoredPolicy> delete(String tenantId, UUID id, int expectedRevision, String author) {
        return Guarded.write(PolicyEntity.class, id, e -> e.tenantId.equals(tenantId), e -> e.revision,
                expectedRevision, e -> {
                    e.revision++;
                    revisionRow(e, true, author, Instant.now());
                    em().remove(e);
                    return Write.Status.DONE;
                }, PolicyRepository::toStored);
    }

    /**
     * Makes an old revision's document current again as a new revision (history is never rewritten), when the
     * latest revision is still {@code expectedRevision}. A deleted policy is re-created under its id, its history
     * continuing. CONFLICT when another policy has taken the name meanwhile.
     */
    @Transactional
    public Write<StoredPolicy> restore(String tenantId, UUID id, String name, String document, int expectedRevision,
            String author) {
        PolicyEntity e = em().find(PolicyEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e != null && !e.tenantId.equals(tenantId)) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        Integer latest = e != null ? Integer.valueOf(e.revision)
                : em().createQuery("select max(revision) from PolicyRevisionEntity where tenantId = ?1 and policyId = ?2",
                        Integer.class).setParameter(1, tenantId).setParameter(2, id).getSingleResult();
        if (latest == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        if (latest != expectedRevision) {
            return Write.of(Write.Status.STALE);
        }
        if (nameTaken(tenantId, name, id)) {
            return Write.of(Write.Status.CONFLICT);
        }
        Instant now = Instant.now();
        boolean recreated = e == null;
        if (recreated) {
            e = newEntity(tenantId, id, now);
            e.revision = latest;
        }
        // re-created: a concurrent restore of the same deleted policy fails on the key, and the caller answers 412
        nextRevision(e, recreated, name, document, author, now);
        em().flush();
        return Write.done(toStored(e));
    }

    /**
     * Creates or updates a policy by (tenant, name) (the declarative file). A changed document gets the next
     * revision naming {@code author}; an unchanged one is left alone. True when something changed.
     */
    @Transactional
    public boolean upsertByName(String tenantId, String name, String document, String author) {
        PolicyEntity e = em().createQuery("from PolicyEntity where tenantId = ?1 and name = ?2", PolicyEntity.class)
                .setParameter(1, tenantId).setParameter(2, name).getResultStream().findFirst().orElse(null);
        if (e != null && Documents.same(json, e.document, document)) {
            return false;
        }
        Instant now = Instant.now();
        boolean created = e == null;
        if (created) {
            e = newEntity(tenantId, UUID.randomUUID(), now);
        }
        nextRevision(e, created, name, document, author, now);
        return true;
    }

    private static PolicyEntity newEntity(String tenantId, UUID id, Instant now) {
        PolicyEntity e = new PolicyEntity();
        e.id = id;
        e.tenantId = tenantId;
        e.revision = 0;
        e.createdAt = now;
        return e;
    }

    /** The one way a policy changes: the next revision number, the new state, and its immutable history row. */
    private static void nextRevision(PolicyEntity e, boolean isNew, String name, String document, String author,
            Instant now) {
        e.revision++;
        e.name = name;
        e.document = document;
        e.updatedAt = now;
        if (isNew) {
            em().persist(e);
        }
        revisionRow(e, false, author, now);
    }

    private static void revisionRow(PolicyEntity e, boolean deleted, String author, Instant now) {
        PolicyRevisionEntity rev = new PolicyRevisionEntity();
        rev.policyId = e.id;
        rev.revision = e.revision;
        rev.tenantId = e.tenantId;
        rev.name = e.name;
        rev.document = deleted ? null : e.document;
        rev.deleted = deleted;
        rev.author = DbText.clean(author, 255);
        rev.createdAt = now;
        em().persist(rev);
    }

    private static StoredPolicy toStored(PolicyEntity e) {
        return new StoredPolicy(e.id.toString(), e.revision, e.name, e.document);
    }
}
