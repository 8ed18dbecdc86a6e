package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.PolicyMapping;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.store.ClientRepository;
import dev.kerbex.store.PolicyRepository.Revision;
import dev.kerbex.store.PolicyRepository.StoredPolicy;
import dev.kerbex.store.PolicyRepository;
import dev.kerbex.store.Write;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Policies as SPEC §12 writes them (SPEC §8): every change is a new immutable revision naming its author plus an
 * admin audit event, and reaches this replica's token endpoint at once. A policy's name is unique in its tenant,
 * checked by {@link PolicyRepository#nameTaken} only.
 */
@ApplicationScoped
class PolicyAdmin {
    private final AdminSupport support;
    private final AdminWrites writes;
    private final PolicyRepository policies;
    private final ClientRepository clients;
    private final ObjectMapper json;

    PolicyAdmin(AdminSupport support, AdminWrites writes, PolicyRepository policies, ClientRepository clients,
            ObjectMapper json) {
        this.support = support;
        this.writes = writes;
        this.policies = policies;
        this.clients = clients;
        this.json = json;
    }

    /** One revision of a policy in its history; a deletion has no document. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RevisionRepresentation(int revision, String name, boolean deleted, String author, Instant createdAt,
            PolicyRepresentation document) {
    }

    List<PolicyRepresentation> list(AdminCaller caller, String tenant) {
        support.mayRead(caller, tenant);
        return policies.all(tenant).stream().map(this::representation).toList();
    }

    Tagged<PolicyRepresentation> get(AdminCaller caller, String tenant, String id) {
        support.mayRead(caller, tenant);
        return tagged(find(tenant, id).orElseThrow(AdminProblem::notFound));
    }

    List<RevisionRepresentation> revisions(AdminCaller caller, String tenant, String id) {
        support.mayRead(caller, tenant);
        List<Revision> revisions = policies.revisions(tenant, uuid(id).orElseThrow(AdminProblem::notFound));
        if (revisions.isEmpty()) {
            throw AdminProblem.notFound();
        }
        return revisions.stream().map(r -> new RevisionRepresentation(r.revision(), r.name(), r.deleted(), r.author(),
                r.createdAt(), r.document() == null ? null : parse(r.document()))).toList();
    }

    Tagged<PolicyRepresentation> create(AdminOperation op, String tenant, byte[] body) {
        support.mayWrite(op.caller(), tenant);
        return writes.auditingRefusals(op, tenant, null, "create", "policy", () -> {
            PolicyRepresentation r = StrictJson.read(body, PolicyRepresentation.class);
            List<FieldError> errors = new ArrayList<>();
            if (r.id() != null) {
                errors.add(new FieldError("/id", "assigned by the server; leave it out"));
            }
            if (r.revision() != null) {
                errors.add(new FieldError("/revision", "assigned by the server; leave it out"));
            }
            validate(tenant, r, null, errors);
            ObjectNode d = support.details("create", "policy").put("name", r.name());
            d.set("after", json.valueToTree(r.withoutIdentity()));
            return tagged(writes.commit(op, tenant, new AdminWrites.Change("create policy " + r.name(), d),
                    () -> policies.create(tenant, r.name(), write(r.withoutIdentity()), op.caller().name()),
                    Write.Status.CONFLICT, PolicyAdmin::nameTaken, PolicyAdmin::ref));
        });
    }

    Tagged<PolicyRepresentation> update(AdminOperation op, String tenant, String id, String ifMatch, byte[] body) {
        support.mayWrite(op.caller(), tenant);
        StoredPolicy before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        UUID uuid = UUID.fromString(before.id());
        return writes.auditingRefusals(op, tenant, uuid, "update", "policy", () -> {
            int expected = (int) support.expectedVersion(ifMatch, before.revision());
            PolicyRepresentation r = StrictJson.read(body, PolicyRepresentation.class);
            List<FieldError> errors = new ArrayList<>();
            if (r.id() != null && !r.id().equals(before.id())) {
                errors.add(new FieldError("/id", "must equal the policy id in the path, or be left out"));
            }
            validate(tenant, r, uuid, errors);
            ObjectNode d = support.details("update", "policy").put("name", r.name());
            d.set("before", json.valueToTree(parse(before.document())));
            d.set("after", json.valueToTree(r.withoutIdentity()));
            return tagged(writes.commit(op, tenant, new AdminWrites.Change("update policy " + r.name(), d),
                    () -> policies.update(tenant, uuid, expected, r.name(), write(r.withoutIdentity()), op.caller().name()),
                    Write.Status.CONFLICT, PolicyAdmin::nameTaken, PolicyAdmin::ref));
        });
    }

    void delete(AdminOperation op, String tenant, String id, String ifMatch) {
        support.mayWrite(op.caller(), tenant);
        StoredPolicy before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        UUID uuid = UUID.fromString(before.id());
        writes.auditingRefusals(op, tenant, uuid, "delete", "policy", () -> {
            int expected = (int) support.expectedVersion(ifMatch, before.revision());
            ObjectNode d = support.details("delete", "policy").put("name", before.name());
            d.set("before", json.valueToTree(parse(before.document())));
            return writes.commit(op, tenant, new AdminWrites.Change("delete policy " + before.name(), d),
                    () -> policies.delete(tenant, uuid, expected, op.caller().name()), Write.Status.CONFLICT,
                    PolicyAdmin::nameTaken, PolicyAdmin::ref);
        });
    }

    /**
     * Makes revision {@code revision}'s document current again, as a new revision: history is never rewritten.
     * {@code If-Match} names the latest revision (428 without, 412 when stale), which for a deleted policy is its
     * deletion; such a policy is re-created under the same id, its history continuing. A revision that records a
     * deletion, or whose document would not be accepted today (a client it names is gone, another policy has its
     * name), is refused with 409 and nothing changes.
     */
    Tagged<PolicyRepresentation> restore(AdminOperation op, String tenant, String id, String revision, String ifMatch) {
        support.mayWrite(op.caller(), tenant);
        UUID uuid = uuid(id).orElseThrow(AdminProblem::notFound);
        List<Revision> history = policies.revisions(tenant, uuid);
        Revision target = history.stream().filter(r -> Integer.toString(r.revision()).equals(revision))
                .findFirst().orElseThrow(AdminProblem::notFound);
        return writes.auditingRefusals(op, tenant, uuid, "restore", "policy", () -> {
            int expected = (int) support.expectedVersion(ifMatch,
                    history.stream().mapToInt(Revision::revision).max().orElse(0));
            if (target.deleted()) {
                throw AdminProblem.conflict("revision " + target.revision()
                        + " records the deletion; restore an earlier revision");
            }
            PolicyRepresentation restored = parse(target.document());
            try {
                validate(tenant, restored, uuid, new ArrayList<>());
            } catch (AdminProblem invalid) {
                throw AdminProblem.conflict("revision " + target.revision() + " cannot be restored as it is: "
                        + String.join("; ", invalid.errors().stream().map(e -> e.pointer() + ": " + e.message()).toList()));
            }
            Optional<StoredPolicy> current = policies.find(tenant, uuid);
            ObjectNode d = support.details("restore", "policy").put("name", restored.name())
                    .put("restored_revision", target.revision());
            d.set("before", current.<JsonNode>map(p -> json.valueToTree(parse(p.document()))).orElse(json.nullNode()));
            d.set("after", json.valueToTree(restored.withoutIdentity()));
            // a unique violation here is a concurrent restore of the same deleted policy: it won, this one is stale
            return tagged(writes.commit(op, tenant,
                    new AdminWrites.Change("restore revision " + target.revision() + " of policy " + restored.name(), d),
                    () -> policies.restore(tenant, uuid, restored.name(), write(restored.withoutIdentity()), expected,
                            op.caller().name()),
                    Write.Status.STALE, () -> AdminProblem.conflict("a policy named " + restored.name()
                            + " exists in the tenant"), PolicyAdmin::ref));
        });
    }

    /** The declarative file's checks (SPEC §12), plus what only the store knows: client ids and name uniqueness. */
    private void validate(String tenant, PolicyRepresentation r, UUID self, List<FieldError> errors) {
        errors.addAll(PolicyMapping.toPolicy(r, null, 1).errors());
        Set<String> known = clients.ids(tenant);
        List<String> named = r.match() == null || r.match().clients() == null ? List.of() : r.match().clients();
        for (int i = 0; i < named.size(); i++) {
            String c = named.get(i);
            if (c != null && !"*".equals(c) && !known.contains(c)) {
                errors.add(new FieldError("/match/clients/" + i, "unknown client"));
            }
        }
        if (r.name() != null && policies.nameTaken(tenant, r.name(), self)) {
            errors.add(nameTaken().errors().get(0));
        }
        if (!errors.isEmpty()) {
            throw AdminProblem.invalid(errors);
        }
    }

    private static AdminProblem nameTaken() {
        return AdminProblem.invalid(List.of(new FieldError("/name", "a policy of this name exists in the tenant")));
    }

    private static AdminWrites.PolicyRef ref(StoredPolicy p) {
        return new AdminWrites.PolicyRef(UUID.fromString(p.id()), p.revision());
    }

    private Optional<StoredPolicy> find(String tenant, String id) {
        return uuid(id).flatMap(u -> policies.find(tenant, u));
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Tagged<PolicyRepresentation> tagged(StoredPolicy p) {
        return new Tagged<>(representation(p), p.revision());
    }

    private PolicyRepresentation representation(StoredPolicy p) {
        return parse(p.document()).withIdentity(p.id(), p.revision());
    }

    private PolicyRepresentation parse(String document) {
        try {
            return json.readValue(document, PolicyRepresentation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy document unreadable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
