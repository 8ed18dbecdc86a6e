package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.TenantValidator;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.store.TrustedIssuerRepository.StoredTrustedIssuer;
import dev.kerbex.store.TrustedIssuerRepository;
import dev.kerbex.store.Write;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The external issuers whose JWTs a tenant accepts as subject and actor tokens (SPEC §3, §8), as the declarative
 * file writes them ({@code issuer}, {@code jwks_uri}, optional {@code algorithms}) and checked by the same rules.
 * The path names an issuer by an opaque id the server assigns; {@code issuer} stays unique within the tenant,
 * checked by {@link TrustedIssuerRepository#issuerTaken} only, and may be changed.
 */
@ApplicationScoped
class TrustedIssuerAdmin {
    private final AdminSupport support;
    private final AdminWrites writes;
    private final TrustedIssuerRepository issuers;
    private final ObjectMapper json;

    TrustedIssuerAdmin(AdminSupport support, AdminWrites writes, TrustedIssuerRepository issuers, ObjectMapper json) {
        this.support = support;
        this.writes = writes;
        this.issuers = issuers;
        this.json = json;
    }

    /** The body of a create or replace: the declarative file's object, plus the id on a round trip. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TrustedIssuerWrite(String id, String issuer, String jwksUri, List<String> algorithms) {
        TrustedIssuerRepresentation representation() {
            return new TrustedIssuerRepresentation(issuer, jwksUri, algorithms);
        }
    }

    /** A trusted issuer as the admin API shows it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrustedIssuerView(String id, String issuer, String jwksUri, List<String> algorithms,
            Instant createdAt, Instant updatedAt) {
    }

    List<TrustedIssuerView> list(AdminCaller caller, String tenant) {
        support.mayRead(caller, tenant);
        return issuers.all(tenant).stream().map(this::view).toList();
    }

    Tagged<TrustedIssuerView> get(AdminCaller caller, String tenant, String id) {
        support.mayRead(caller, tenant);
        return tagged(find(tenant, id).orElseThrow(AdminProblem::notFound));
    }

    Tagged<TrustedIssuerView> create(AdminOperation op, String tenant, byte[] body) {
        support.mayWrite(op.caller(), tenant);
        return writes.auditingRefusals(op, tenant, null, "create", "trusted_issuer", () -> {
            TrustedIssuerWrite w = StrictJson.read(body, TrustedIssuerWrite.class);
            List<FieldError> errors = new ArrayList<>();
            if (w.id() != null) {
                errors.add(new FieldError("/id", "assigned by the server; leave it out"));
            }
            validate(tenant, w, null, errors);
            TrustedIssuerRepresentation r = w.representation();
            ObjectNode d = support.details("create", "trusted_issuer").put("issuer", r.issuer());
            d.set("after", json.valueToTree(r));
            return tagged(writes.commit(op, tenant, new AdminWrites.Change("create trusted issuer " + r.issuer(), d),
                    () -> issuers.create(tenant, r.issuer(), r.jwksUri(), write(r)), Write.Status.CONFLICT,
                    TrustedIssuerAdmin::duplicate, null));
        });
    }

    Tagged<TrustedIssuerView> update(AdminOperation op, String tenant, String id, String ifMatch, byte[] body) {
        support.mayWrite(op.caller(), tenant);
        StoredTrustedIssuer before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        UUID uuid = UUID.fromString(before.id());
        return writes.auditingRefusals(op, tenant, null, "update", "trusted_issuer", () -> {
            long expected = support.expectedVersion(ifMatch, before.version());
            TrustedIssuerWrite w = StrictJson.read(body, TrustedIssuerWrite.class);
            List<FieldError> errors = new ArrayList<>();
            if (w.id() != null && !w.id().equals(before.id())) {
                errors.add(new FieldError("/id", "must equal the trusted issuer id in the path, or be left out"));
            }
            validate(tenant, w, uuid, errors);
            TrustedIssuerRepresentation r = w.representation();
            ObjectNode d = support.details("update", "trusted_issuer").put("issuer", r.issuer());
            d.set("before", json.valueToTree(representation(before)));
            d.set("after", json.valueToTree(r));
            return tagged(writes.commit(op, tenant, new AdminWrites.Change("update trusted issuer " + r.issuer(), d),
                    () -> issuers.update(tenant, uuid, expected, r.issuer(), r.jwksUri(), write(r)),
                    Write.Status.CONFLICT, TrustedIssuerAdmin::duplicate, null));
        });
    }

    /** Tokens of the issuer are refused from the next request on (on every replica, through the change feed). */
    void delete(AdminOperation op, String tenant, String id, String ifMatch) {
        support.mayWrite(op.caller(), tenant);
        StoredTrustedIssuer before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        writes.auditingRefusals(op, tenant, null, "delete", "trusted_issuer", () -> {
            long expected = support.expectedVersion(ifMatch, before.version());
            ObjectNode d = support.details("delete", "trusted_issuer").put("issuer", before.issuer());
            d.set("before", json.valueToTree(representation(before)));
            return writes.commit(op, tenant, new AdminWrites.Change("delete trusted issuer " + before.issuer(), d),
                    () -> issuers.delete(tenant, UUID.fromString(before.id()), expected));
        });
    }

    /** The declarative file's checks (TenantValidator), plus what only the store knows: the issuer is not yet trusted. */
    private void validate(String tenant, TrustedIssuerWrite w, UUID self, List<FieldError> errors) {
        TenantValidator.validateTrustedIssuer(w.representation(), "", errors);
        if (w.issuer() != null && errors.stream().noneMatch(e -> e.pointer().equals("/issuer"))
                && issuers.issuerTaken(tenant, w.issuer(), self)) {
            errors.add(duplicate().errors().get(0));
        }
        if (!errors.isEmpty()) {
            throw AdminProblem.invalid(errors);
        }
    }

    private static AdminProblem duplicate() {
        return AdminProblem.invalid(List.of(new FieldError("/issuer", "this tenant already trusts this issuer")));
    }

    private Optional<StoredTrustedIssuer> find(String tenant, String id) {
        try {
            return issuers.find(tenant, UUID.fromString(id));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /** The stored document, with the columns' issuer and jwks_uri (a document that cannot be read keeps those). */
    private TrustedIssuerRepresentation representation(StoredTrustedIssuer t) {
        List<String> algorithms;
        try {
            algorithms = json.readValue(t.document(), TrustedIssuerRepresentation.class).algorithms();
        } catch (JsonProcessingException e) {
            algorithms = null;
        }
        return new TrustedIssuerRepresentation(t.issuer(), t.jwksUri(), algorithms);
    }

    private TrustedIssuerView view(StoredTrustedIssuer t) {
        TrustedIssuerRepresentation r = representation(t);
        return new TrustedIssuerView(t.id(), r.issuer(), r.jwksUri(), r.algorithms(), t.createdAt(), t.updatedAt());
    }

    private Tagged<TrustedIssuerView> tagged(StoredTrustedIssuer t) {
        return new Tagged<>(view(t), t.version());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
