package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.PolicyMapping;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.store.AdminStore;
import dev.kerbex.store.UniqueViolation;
import dev.kerbex.store.TenantStore;
import dev.kerbex.tenant.TenantDirectory;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /admin/v1/tenants/{t}/policies}: policies as SPEC §12 writes them. Every change is a new immutable
 * revision naming its author plus an admin audit event, and reaches this replica's token endpoint at once.
 */
@Path("/admin/v1/tenants/{tenant}/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PoliciesResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final AdminStore store;
    private final TenantStore tenants;
    private final TenantDirectory directory;
    private final ObjectMapper json;

    PoliciesResource(AdminSupport support, SecurityIdentity identity, AdminStore store, TenantStore tenants, TenantDirectory directory,
            ObjectMapper json) {
        this.support = support;
        this.identity = identity;
        this.store = store;
        this.tenants = tenants;
        this.directory = directory;
        this.json = json;
    }

    /** One revision of a policy in its history; a deletion has no document. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RevisionRepresentation(int revision, String name, boolean deleted, String author, Instant createdAt,
            PolicyRepresentation document) {
    }

    @GET
    public List<PolicyRepresentation> list(@PathParam("tenant") String tenant) {
        support.mayRead(support.caller(identity), tenant);
        return store.policies(tenant).stream().map(this::representation).toList();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        support.mayRead(support.caller(identity), tenant);
        AdminStore.StoredPolicy p = find(tenant, id).orElseThrow(AdminProblem::notFound);
        return withTag(Response.ok(representation(p)), p.revision());
    }

    @GET
    @Path("{id}/revisions")
    public List<RevisionRepresentation> revisions(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        support.mayRead(support.caller(identity), tenant);
        UUID uuid = uuid(id).orElseThrow(AdminProblem::notFound);
        List<AdminStore.Revision> revisions = store.revisions(tenant, uuid);
        if (revisions.isEmpty()) {
            throw AdminProblem.notFound();
        }
        return revisions.stream().map(r -> new RevisionRepresentation(r.revision(), r.name(), r.deleted(), r.author(),
                r.createdAt(), r.document() == null ? null : parse(r.document()))).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String tenant, InputStream input,
            @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        AdminOperation op = support.writer(identity, tenant, http);
        try {
            PolicyRepresentation r = StrictJson.read(body, PolicyRepresentation.class);
            List<FieldError> errors = new ArrayList<>();
            if (r.id() != null) {
                errors.add(new FieldError("/id", "assigned by the server; leave it out"));
            }
            if (r.revision() != null) {
                errors.add(new FieldError("/revision", "assigned by the server; leave it out"));
            }
            validate(tenant, r, null, errors);
            String document = write(r.withoutIdentity());
            ObjectNode d = support.details("create", "policy").put("name", r.name());
            d.set("after", json.valueToTree(r.withoutIdentity()));
            AdminStore.Write<AdminStore.StoredPolicy> w;
            try {
                w = store.createPolicy(tenant, r.name(), document,
                        support.change(op, "create policy " + r.name(), d));
            } catch (RuntimeException e) {
                if (!UniqueViolation.isCause(e)) {
                    throw e;
                }
                w = AdminStore.Write.of(AdminStore.Status.CONFLICT); // a concurrent create of the same name won
            }
            if (w.status() == AdminStore.Status.CONFLICT) {
                throw AdminProblem.invalid(List.of(new FieldError("/name", "a policy of this name exists in the tenant")));
            }
            directory.invalidate(tenant);
            return withTag(Response.created(support.location("/admin/v1/tenants/" + tenant + "/policies/" + w.value().id()))
                    .entity(representation(w.value())), w.value().revision());
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, null, "create", "policy");
        }
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, InputStream input,
            @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        AdminOperation op = support.writer(identity, tenant, http);
        AdminStore.StoredPolicy before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        UUID uuid = UUID.fromString(before.id());
        try {
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
            AdminStore.Write<AdminStore.StoredPolicy> w = store.updatePolicy(tenant, uuid, expected, r.name(),
                    write(r.withoutIdentity()), support.change(op, "update policy " + r.name(), d));
            AdminProblem.requireFound(w);
            if (w.status() == AdminStore.Status.CONFLICT) {
                throw AdminProblem.invalid(List.of(new FieldError("/name", "a policy of this name exists in the tenant")));
            }
            directory.invalidate(tenant);
            return withTag(Response.ok(representation(w.value())), w.value().revision());
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, uuid, "update", "policy");
        }
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context HttpServerRequest http) {
        AdminOperation op = support.writer(identity, tenant, http);
        AdminStore.StoredPolicy before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        UUID uuid = UUID.fromString(before.id());
        try {
            int expected = (int) support.expectedVersion(ifMatch, before.revision());
            ObjectNode d = support.details("delete", "policy").put("name", before.name());
            d.set("before", json.valueToTree(parse(before.document())));
            AdminStore.Write<AdminStore.StoredPolicy> w = store.deletePolicy(tenant, uuid, expected,
                    support.change(op, "delete policy " + before.name(), d));
            AdminProblem.requireFound(w);
            directory.invalidate(tenant);
            return Response.noContent().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, uuid, "delete", "policy");
        }
    }

    /**
     * Makes revision {@code revision}'s document current again, as a new revision: history is never rewritten.
     * {@code If-Match} names the latest revision (428 without, 412 when stale), which for a deleted policy is its
     * deletion; such a policy is re-created under the same id, its history continuing. A revision that records a
     * deletion, or whose document would not be accepted today (a client it names is gone, another policy has its
     * name), is refused with 409 and nothing changes.
     */
    @POST
    @Path("{id}/revisions/{revision}/restore")
    public Response restore(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @PathParam("revision") String revision, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Context HttpServerRequest http) {
        AdminOperation op = support.writer(identity, tenant, http);
        UUID uuid = uuid(id).orElseThrow(AdminProblem::notFound);
        List<AdminStore.Revision> history = store.revisions(tenant, uuid);
        AdminStore.Revision target = history.stream().filter(r -> Integer.toString(r.revision()).equals(revision))
                .findFirst().orElseThrow(AdminProblem::notFound);
        try {
            int expected = (int) support.expectedVersion(ifMatch,
                    history.stream().mapToInt(AdminStore.Revision::revision).max().orElse(0));
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
            Optional<AdminStore.StoredPolicy> current = store.policy(tenant, uuid);
            ObjectNode d = support.details("restore", "policy").put("name", restored.name())
                    .put("restored_revision", target.revision());
            d.set("before", current.<com.fasterxml.jackson.databind.JsonNode>map(p -> json.valueToTree(parse(p.document())))
                    .orElse(json.nullNode()));
            d.set("after", json.valueToTree(restored.withoutIdentity()));
            AdminStore.Write<AdminStore.StoredPolicy> w;
            try {
                w = store.restorePolicy(tenant, uuid, restored.name(), write(restored.withoutIdentity()), expected,
                        support.change(op, "restore revision " + target.revision() + " of policy " + restored.name(), d));
            } catch (RuntimeException e) {
                if (!UniqueViolation.isCause(e)) {
                    throw e;
                }
                w = AdminStore.Write.of(AdminStore.Status.STALE); // a concurrent restore of the deleted policy won
            }
            AdminProblem.requireFound(w);
            if (w.status() == AdminStore.Status.CONFLICT) {
                throw AdminProblem.conflict("a policy named " + restored.name() + " exists in the tenant");
            }
            directory.invalidate(tenant);
            return withTag(Response.ok(representation(w.value())), w.value().revision());
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, uuid, "restore", "policy");
        }
    }

    /** The declarative file's checks (SPEC §12), plus what only the store knows: client ids and name uniqueness. */
    private void validate(String tenant, PolicyRepresentation r, UUID self, List<FieldError> errors) {
        errors.addAll(PolicyMapping.toPolicy(r, null, 1).errors());
        Set<String> clients = tenants.clientIds(tenant);
        List<String> named = r.match() == null || r.match().clients() == null ? List.of() : r.match().clients();
        for (int i = 0; i < named.size(); i++) {
            String c = named.get(i);
            if (c != null && !"*".equals(c) && !clients.contains(c)) {
                errors.add(new FieldError("/match/clients/" + i, "unknown client"));
            }
        }
        if (r.name() != null && store.policies(tenant).stream()
                .anyMatch(p -> p.name().equals(r.name()) && !p.id().equals(String.valueOf(self)))) {
            errors.add(new FieldError("/name", "a policy of this name exists in the tenant"));
        }
        if (!errors.isEmpty()) {
            throw AdminProblem.invalid(errors);
        }
    }

    private Optional<AdminStore.StoredPolicy> find(String tenant, String id) {
        return uuid(id).flatMap(u -> store.policy(tenant, u));
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Response withTag(Response.ResponseBuilder r, int revision) {
        return r.tag(new EntityTag(Integer.toString(revision))).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private PolicyRepresentation representation(AdminStore.StoredPolicy p) {
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
