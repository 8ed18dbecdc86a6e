package dev.kerbex.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.store.PolicyRepository;
import dev.kerbex.store.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link PolicyRepository} in memory, for one tenant's worth of tests: the same answers, no database. */
final class FakePolicies extends PolicyRepository {
    final Map<UUID, StoredPolicy> current = new LinkedHashMap<>();
    final Map<UUID, List<Revision>> history = new LinkedHashMap<>();
    private final Instant now;

    FakePolicies(ObjectMapper json, Instant now) {
        super(json);
        this.now = now;
    }

    @Override
    public List<StoredPolicy> all(String tenantId) {
        return current.values().stream().sorted(Comparator.comparing(StoredPolicy::name)).toList();
    }

    @Override
    public Optional<StoredPolicy> find(String tenantId, UUID id) {
        return Optional.ofNullable(current.get(id));
    }

    @Override
    public List<Revision> revisions(String tenantId, UUID id) {
        return List.copyOf(history.getOrDefault(id, List.of()));
    }

    @Override
    public boolean nameTaken(String tenantId, String name, UUID except) {
        return current.entrySet().stream().anyMatch(e -> e.getValue().name().equals(name) && !e.getKey().equals(except));
    }

    @Override
    public Write<StoredPolicy> create(String tenantId, String name, String document, String author) {
        if (nameTaken(tenantId, name, null)) {
            return Write.of(Write.Status.CONFLICT);
        }
        return Write.done(next(UUID.randomUUID(), 1, name, document, author));
    }

    @Override
    public Write<StoredPolicy> update(String tenantId, UUID id, int expectedRevision, String name, String document,
            String author) {
        StoredPolicy p = current.get(id);
        if (p == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        if (p.revision() != expectedRevision) {
            return Write.of(Write.Status.STALE);
        }
        if (nameTaken(tenantId, name, id)) {
            return Write.of(Write.Status.CONFLICT);
        }
        return Write.done(next(id, p.revision() + 1, name, document, author));
    }

    @Override
    public Write<StoredPolicy> delete(String tenantId, UUID id, int expectedRevision, String author) {
        StoredPolicy p = current.get(id);
        if (p == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        if (p.revision() != expectedRevision) {
            return Write.of(Write.Status.STALE);
        }
        current.remove(id);
        history.get(id).add(new Revision(p.revision() + 1, p.name(), null, true, author, now));
        return Write.done(new StoredPolicy(p.id(), p.revision() + 1, p.name(), p.document()));
    }

    @Override
    public Write<StoredPolicy> restore(String tenantId, UUID id, String name, String document, int expectedRevision,
            String author) {
        List<Revision> revisions = history.get(id);
        if (revisions == null) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        int latest = revisions.get(revisions.size() - 1).revision();
        if (latest != expectedRevision) {
            return Write.of(Write.Status.STALE);
        }
        if (nameTaken(tenantId, name, id)) {
            return Write.of(Write.Status.CONFLICT);
        }
        return Write.done(next(id, latest + 1, name, document, author));
    }

    private StoredPolicy next(UUID id, int revision, String name, String document, String author) {
        StoredPolicy p = new StoredPolicy(id.toString(), revision, name, document);
        current.put(id, p);
        history.computeIfAbsent(id, k -> new ArrayList<>()).add(new Revision(revision, name, document, false, author,
                now));
        return p;
    }
}
