package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.bootstrap.TenantValidator;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.store.AdminStore;
import dev.kerbex.store.UniqueViolation;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /admin/v1/tenants/{t}/trusted-issuers} (SPEC §3, §8): the external issuers whose JWTs the tenant accepts
 * as subject and actor tokens, as the declarative file writes them ({@code issuer}, {@code jwks_uri}, optional
 * {@code algorithms}) and checked by the same rules. The path names an issuer by an opaque id the server assigns
 * (an issuer URL is an awkward path segment); {@code issuer} stays unique within the tenant, and may be changed.
 */
@Path("/admin/v1/tenants/{tenant}/trusted-issuers")
@Produces(MediaType.APPLICATION_JSON)
public class TrustedIssuersResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final AdminStore store;
    private final TenantDirectory directory;
    private final ObjectMapper json;

    TrustedIssuersResource(AdminSupport support, SecurityIdentity identity, AdminStore store, TenantDirectory directory,
            ObjectMapper json) {
        this.support = support;
        this.identity = identity;
        this.store = store;
        this.directory = directory;
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
        static TrustedIssuerView of(AdminStore.StoredTrustedIssuer t) {
            return new TrustedIssuerView(t.id(), t.issuer().issuer(), t.issuer().jwksUri(), t.issuer().algorithms(),
                    t.createdAt(), t.updatedAt());
        }
    }

    @GET
    public Response list(@PathParam("tenant") String tenant) {
        support.mayRead(support.caller(identity), tenant);
        List<TrustedIssuerView> views = store.trustedIssuers(tenant).stream().map(TrustedIssuerView::of).toList();
        return Response.ok(views).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        support.mayRead(support.caller(identity), tenant);
        AdminStore.StoredTrustedIssuer t = find(tenant, id).orElseThrow(AdminProblem::notFound);
        return withTag(Response.ok(TrustedIssuerView.of(t)), t.version());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String tenant, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        AdminOperation op = support.writer(identity, tenant, http);
        try {
            TrustedIssuerWrite w = StrictJson.read(body, TrustedIssuerWrite.class);
            List<FieldError> errors = new ArrayList<>();
            if (w.id() != null) {
                errors.add(new FieldError("/id", "assigned by the server; leave it out"));
            }
            validate(tenant, w, null, errors);
            TrustedIssuerRepresentation r = w.representation();
            ObjectNode d = support.details("create", "trusted_issuer").put("issuer", r.issuer());
            d.set("after", json.valueToTree(r));
            AdminStore.Write<AdminStore.StoredTrustedIssuer> written;
            try {
                written = store.createTrustedIssuer(tenant, r,
                        support.change(op, "create trusted issuer " + r.issuer(), d));
            } catch (RuntimeException e) {
                if (!UniqueViolation.isCause(e)) {
                    throw e;
                }
                written = AdminStore.Write.of(AdminStore.Status.CONFLICT); // a concurrent create of the same issuer won
            }
            if (written.status() == AdminStore.Status.CONFLICT) {
                throw AdminProblem.invalid(List.of(duplicate()));
            }
            directory.invalidate(tenant);
            AdminStore.StoredTrustedIssuer t = written.value();
            return withTag(Response.created(support.location("/admin/v1/tenants/" + tenant + "/trusted-issuers/" + t.id()))
                    .entity(TrustedIssuerView.of(t)), t.version());
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, null, "create", "trusted_issuer");
        }
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, InputStream input, @Context HttpServerRequest http) {
        byte[] body = StrictJson.bytes(input);
        AdminOperation op = support.writer(identity, tenant, http);
        AdminStore.StoredTrustedIssuer before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        UUID uuid = UUID.fromString(before.id());
        try {
            long expected = support.expectedVersion(ifMatch, before.version());
            TrustedIssuerWrite w = StrictJson.read(body, TrustedIssuerWrite.class);
            List<FieldError> errors = new ArrayList<>();
            if (w.id() != null && !w.id().equals(before.id())) {
                errors.add(new FieldError("/id", "must equal the trusted issuer id in the path, or be left out"));
            }
            validate(tenant, w, uuid, errors);
            TrustedIssuerRepresentation r = w.representation();
            ObjectNode d = support.details("update", "trusted_issuer").put("issuer", r.issuer());
            d.set("before", json.valueToTree(before.issuer()));
            d.set("after", json.valueToTree(r));
            AdminStore.Write<AdminStore.StoredTrustedIssuer> written;
            try {
                written = store.updateTrustedIssuer(tenant, uuid, expected, r,
                        support.change(op, "update trusted issuer " + r.issuer(), d));
            } catch (RuntimeException e) {
                if (!UniqueViolation.isCause(e)) {
                    throw e;
                }
                written = AdminStore.Write.of(AdminStore.Status.CONFLICT); // a concurrent write took that issuer
            }
            AdminProblem.requireFound(written);
            if (written.status() == AdminStore.Status.CONFLICT) {
                throw AdminProblem.invalid(List.of(duplicate()));
            }
            directory.invalidate(tenant);
            return withTag(Response.ok(TrustedIssuerView.of(written.value())), written.value().version());
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, null, "update", "trusted_issuer");
        }
    }

    /** Tokens of the issuer are refused from the next request on (on every replica, through the change feed). */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context HttpServerRequest http) {
        AdminOperation op = support.writer(identity, tenant, http);
        AdminStore.StoredTrustedIssuer before = find(tenant, id).orElseThrow(AdminProblem::notFound);
        try {
            long expected = support.expectedVersion(ifMatch, before.version());
            ObjectNode d = support.details("delete", "trusted_issuer").put("issuer", before.issuer().issuer());
            d.set("before", json.valueToTree(before.issuer()));
            AdminStore.Write<AdminStore.StoredTrustedIssuer> written = store.deleteTrustedIssuer(tenant,
                    UUID.fromString(before.id()), expected,
                    support.change(op, "delete trusted issuer " + before.issuer().issuer(), d));
            AdminProblem.requireFound(written);
            directory.invalidate(tenant);
            return Response.noContent().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (AdminProblem p) {
            throw support.refused(p, op, tenant, null, "delete", "trusted_issuer");
        }
    }

    /** The declarative file's checks (TenantValidator), plus what only the store knows: the issuer is not yet trusted. */
    private void validate(String tenant, TrustedIssuerWrite w, UUID self, List<FieldError> errors) {
        TenantValidator.validateTrustedIssuer(w.representation(), "", errors);
        if (w.issuer() != null && errors.stream().noneMatch(e -> e.pointer().equals("/issuer"))
                && store.trustedIssuers(tenant).stream().anyMatch(t -> t.issuer().issuer().equals(w.issuer())
                        && !t.id().equals(String.valueOf(self)))) {
            errors.add(duplicate());
        }
        if (!errors.isEmpty()) {
            throw AdminProblem.invalid(errors);
        }
    }

    private static FieldError duplicate() {
        return new FieldError("/issuer", "this tenant already trusts this issuer");
    }

    private Optional<AdminStore.StoredTrustedIssuer> find(String tenant, String id) {
        try {
            return store.trustedIssuer(tenant, UUID.fromString(id));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    private static Response withTag(Response.ResponseBuilder r, long version) {
        return r.tag(new EntityTag(Long.toString(version))).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
