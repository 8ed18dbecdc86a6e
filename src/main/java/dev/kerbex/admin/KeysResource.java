package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.jwt.SigningKeys;
import dev.kerbex.store.SigningKeyStore;
import dev.kerbex.store.StoredSigningKey;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.UniqueViolation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code /admin/v1/tenants/{t}/keys}: the tenant's signing keys, newest first, and rotation (SPEC §8, §9). Only
 * public facts are shown; the private halves never leave the store.
 */
@Path("/admin/v1/tenants/{tenant}/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {
    private final AdminSupport support;
    private final SecurityIdentity identity;
    private final AdminWrites writes;
    private final TenantRepository tenants;
    private final SigningKeyStore keys;
    private final SigningKeys signingKeys;

    KeysResource(AdminSupport support, SecurityIdentity identity, AdminWrites writes, TenantRepository tenants,
            SigningKeyStore keys, SigningKeys signingKeys) {
        this.support = support;
        this.identity = identity;
        this.writes = writes;
        this.tenants = tenants;
        this.keys = keys;
        this.signingKeys = signingKeys;
    }

    /** A signing key as the admin API shows it: never the private key. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String kid, String algorithm, String status, Instant createdAt, Instant retiredAt,
            Instant publishedUntil) {
        static KeyView of(StoredSigningKey k) {
            return new KeyView(k.kid(), k.algorithm(), k.status(), k.createdAt(), k.retiredAt(), k.publishedUntil());
        }
    }

    @GET
    public Response list(@PathParam("tenant") String tenant) {
        support.mayRead(support.caller(identity), tenant);
        signingKeys.current(tenant); // as the JWKS does: a tenant always has an active key
        List<KeyView> views = keys.all(tenant).stream().map(KeyView::of).toList();
        return Response.ok(views).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * A new active key. The previous one stays in the JWKS for the tenant's maximum token lifetime, so every
     * token it signed still verifies until it expires. The rotation and its audit event commit together.
     */
    @POST
    @Path("rotate")
    public Response rotate(@PathParam("tenant") String tenant, @Context HttpServerRequest http) {
        AdminOperation op = support.writer(identity, tenant, http);
        Duration publishFor = tenants.find(tenant).orElseThrow(AdminProblem::notFound).tenant().maxTokenLifetime();
        signingKeys.current(tenant); // the first key, if there is none yet, is created outside the rotation
        StoredSigningKey before = keys.active(tenant).orElse(null);
        StoredSigningKey fresh;
        try {
            fresh = QuarkusTransaction.requiringNew().call(() -> {
                StoredSigningKey k = signingKeys.rotate(tenant, publishFor);
                ObjectNode d = support.details("rotate", "signing_key").put("tenant", tenant).put("kid", k.kid())
                        .put("algorithm", k.algorithm()).put("previous_kid", before == null ? null : before.kid())
                        .put("previous_published_for", publishFor.toString());
                writes.recordInTransaction(op, tenant, new AdminWrites.Change("rotate signing key", d), null);
                return k;
            });
        } catch (RuntimeException e) {
            if (!UniqueViolation.isCause(e)) {
                throw e;
            }
            throw support.refused(AdminProblem.conflict("a concurrent rotation won; read the keys again"), op,
                    tenant, null, "rotate", "signing_key");
        }
        StoredSigningKey stored = keys.all(tenant).stream().filter(k -> k.kid().equals(fresh.kid())).findFirst()
                .orElse(fresh);
        return Response.created(support.location("/admin/v1/tenants/" + tenant + "/keys")).entity(KeyView.of(stored))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
