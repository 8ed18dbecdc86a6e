package dev.kerbex.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.client.ClientSecrets;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.representation.ClientRepresentation;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TenantRepresentation;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.store.ClientRepository;
import dev.kerbex.store.PolicyRepository;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.TrustedIssuerRepository;
import dev.kerbex.tenant.OAuthClient;
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
    private final TenantRepository tenants;
    private final ClientRepository clients;
    private final TrustedIssuerRepository issuers;
    private final PolicyRepository policies;
    private final ObjectMapper json;
    private final ClientSecrets secrets;
    private final TenantDirectory directory;
    private final Duration defaultLifetime;

    public TenantProvisioner(TenantRepository tenants, ClientRepository clients, TrustedIssuerRepository issuers,
            PolicyRepository policies, ObjectMapper json, ClientSecrets secrets, TenantDirectory directory,
            KerbexConfig config) {
        this.tenants = tenants;
        this.clients = clients;
        this.issuers = issuers;
        this.policies = policies;
        this.json = json;
        this.secrets = secrets;
        this.directory = directory;
        this.defaultLifetime = config.tokens().defaultMaxLifetime();
    }

    /** @return how many objects were created or changed */
    public int apply(List<TenantRepresentation> representations, String author) {
        int changed = QuarkusTransaction.requiringNew().call(() -> {
            int n = 0;
            for (TenantRepresentation t : representations) {
                int changedHere = applyOne(t, author);
                if (changedHere > 0) {
                    tenants.announceChange(t.id()); // replicas already running drop their copy on commit
                }
                n += changedHere;
            }
            return n;
        });
        representations.forEach(t -> directory.invalidate(t.id()));
        return changed;
    }

    private int applyOne(TenantRepresentation t, String author) {
        int n = 0;
        if (tenants.upsert(t.toTenant(defaultLifetime))) {
            n++;
        }
        for (ClientRepresentation c : nonNull(t.clients())) {
            if (clients.upsert(toClient(t.id(), c))) {
                n++;
            }
        }
        for (TrustedIssuerRepresentation ti : nonNull(t.trustedIssuers())) {
            if (issuers.upsert(t.id(), ti.issuer(), ti.jwksUri(), write(ti))) {
                n++;
            }
        }
        for (PolicyRepresentation p : nonNull(t.policies())) {
            if (policies.upsertByName(t.id(), p.name(), write(p.withoutIdentity()), author)) {
                n++;
            }
        }
        return n;
    }

    /** The same secret applied again keeps its stored hash, so a re-applied file changes nothing. */
    private OAuthClient toClient(String tenantId, ClientRepresentation c) {
        String hash = null;
        if (c.secret() != null) {
            Optional<String> stored = clients.secretHash(tenantId, c.clientId());
            hash = stored.filter(h -> secrets.matches(c.secret(), h)).orElseGet(() -> secrets.hash(c.secret()));
        }
        // Absent grant_types means token exchange, the only grant; an explicit [] registers a client that may not exchange.
        List<String> grants = c.grantTypes() == null ? List.of(OAuthClient.TOKEN_EXCHANGE) : c.grantTypes();
        return new OAuthClient(tenantId, c.clientId(), hash, c.kerberosPrincipal(), grants, c.audiences(), c.rateLimit(),
                c.jwks(), c.tokenEndpointAuthMethod(), c.tls());
    }

    private String write(Object document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
