package dev.kerbex.bootstrap;

import dev.kerbex.client.ClientSecrets;
import dev.kerbex.client.OAuthClient;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.representation.ClientRepresentation;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TenantRepresentation;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.store.TenantStore;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Applies validated tenant representations idempotently (SPEC §12): each tenant, client, trusted issuer and
 * policy is created or updated by its natural key, nothing absent is deleted, and the whole set is one
 * transaction — a failure leaves the database as it was.
 */
@ApplicationScoped
public class TenantProvisioner {
    public static final List<String> DEFAULT_ENCTYPES = List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96");

    private final TenantStore store;
    private final ClientSecrets secrets;
    private final TenantDirectory directory;
    private final Duration defaultLifetime;

    public TenantProvisioner(TenantStore store, ClientSecrets secrets, TenantDirectory directory, KerbexConfig config) {
        this.store = store;
        this.secrets = secrets;
        this.directory = directory;
        this.defaultLifetime = config.tokens().defaultMaxLifetime();
    }

    /** @return how many objects were created or changed */
    public int apply(List<TenantRepresentation> tenants, String author) {
        int changed = QuarkusTransaction.requiringNew().call(() -> {
            int n = 0;
            for (TenantRepresentation t : tenants) {
                int changedHere = applyOne(t, author);
                if (changedHere > 0) {
                    store.announceChange(t.id()); // replicas already running drop their copy on commit
                }
                n += changedHere;
            }
            return n;
        });
        tenants.forEach(t -> directory.invalidate(t.id()));
        return changed;
    }

    private int applyOne(TenantRepresentation t, String author) {
        int n = 0;
        Duration lifetime = t.maxTokenLifetime() == null ? defaultLifetime : Duration.parse(t.maxTokenLifetime());
        Tenant.S4uSettings s4u = t.s4u() == null ? null
                : new Tenant.S4uSettings(t.s4u().principal(), t.s4u().keytab(), t.s4u().defaultRealm());
        List<String> enctypes = t.enctypes() == null || t.enctypes().isEmpty() ? DEFAULT_ENCTYPES : t.enctypes();
        if (store.upsertTenant(new Tenant(t.id(), t.realms(), t.services(), enctypes, lifetime, s4u, t.groupNames()))) {
            n++;
        }
        for (ClientRepresentation c : nonNull(t.clients())) {
            if (store.upsertClient(toClient(t.id(), c))) {
                n++;
            }
        }
        for (TrustedIssuerRepresentation ti : nonNull(t.trustedIssuers())) {
            if (store.upsertTrustedIssuer(t.id(), ti)) {
                n++;
            }
        }
        for (PolicyRepresentation p : nonNull(t.policies())) {
            if (store.upsertPolicyByName(t.id(), p, author)) {
                n++;
            }
        }
        return n;
    }

    /** The same secret applied again keeps its stored hash, so a re-applied file changes nothing. */
    private OAuthClient toClient(String tenantId, ClientRepresentation c) {
        String hash = null;
        if (c.secret() != null) {
            Optional<String> stored = store.secretHash(tenantId, c.clientId());
            hash = stored.filter(h -> secrets.matches(c.secret(), h)).orElseGet(() -> secrets.hash(c.secret()));
        }
        // Absent grant_types means token exchange, the only grant; an explicit [] registers a client that may not exchange.
        List<String> grants = c.grantTypes() == null ? List.of(OAuthClient.TOKEN_EXCHANGE) : c.grantTypes();
        return new OAuthClient(tenantId, c.clientId(), hash, c.kerberosPrincipal(), grants, c.audiences(), c.rateLimit(),
                c.jwks());
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
