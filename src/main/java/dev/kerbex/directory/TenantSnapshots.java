package dev.kerbex.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.policy.Policy;
import dev.kerbex.representation.PolicyMapping;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TrustedIssuerRepresentation;
import dev.kerbex.store.ClientRepository;
import dev.kerbex.store.PolicyRepository.StoredPolicy;
import dev.kerbex.store.PolicyRepository;
import dev.kerbex.store.TenantRepository;
import dev.kerbex.store.TrustedIssuerRepository.StoredTrustedIssuer;
import dev.kerbex.store.TrustedIssuerRepository;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.tenant.TrustedIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads one tenant's settings, clients, policies and trusted issuers in one transaction and turns the stored
 * documents into the model the token endpoint evaluates. A stored document that is no longer valid is left out
 * (so refused), with an error in the log.
 */
@ApplicationScoped
public class TenantSnapshots {
    private static final Logger LOG = Logger.getLogger(TenantSnapshots.class);

    private final TenantRepository tenants;
    private final ClientRepository clients;
    private final PolicyRepository policies;
    private final TrustedIssuerRepository issuers;
    private final ObjectMapper json;

    public TenantSnapshots(TenantRepository tenants, ClientRepository clients, PolicyRepository policies,
            TrustedIssuerRepository issuers, ObjectMapper json) {
        this.tenants = tenants;
        this.clients = clients;
        this.policies = policies;
        this.issuers = issuers;
        this.json = json;
    }

    @Transactional
    public Optional<TenantSnapshot> load(String tenantId) {
        return tenants.find(tenantId).map(t -> TenantSnapshot.of(t.tenant(), clients.models(tenantId),
                policies.all(tenantId).stream().map(p -> toPolicy(tenantId, p)).filter(Objects::nonNull).toList(),
                issuers.all(tenantId).stream().map(i -> toTrustedIssuer(tenantId, i)).filter(Objects::nonNull)
                        .toList()));
    }

    private Policy toPolicy(String tenantId, StoredPolicy p) {
        try {
            PolicyRepresentation r = json.readValue(p.document(), PolicyRepresentation.class);
            PolicyMapping.Result result = PolicyMapping.toPolicy(r, p.id(), p.revision());
            if (!result.errors().isEmpty()) {
                LOG.errorf("tenant %s: stored policy %s is invalid and is ignored: %s", tenantId, p.name(), result.errors());
            }
            return result.policy();
        } catch (JsonProcessingException ex) {
            LOG.errorf("tenant %s: stored policy %s is unreadable and is ignored", tenantId, p.name());
            return null;
        }
    }

    /** An issuer without a {@code jwks_uri} has no keys to check its tokens with: it is left out, so refused. */
    private TrustedIssuer toTrustedIssuer(String tenantId, StoredTrustedIssuer i) {
        try {
            TrustedIssuerRepresentation r = json.readValue(i.document(), TrustedIssuerRepresentation.class);
            if (i.jwksUri() == null) {
                LOG.warnf("tenant %s: trusted issuer %s has no jwks_uri; its tokens are refused", tenantId, i.issuer());
                return null;
            }
            return TrustedIssuer.of(i.issuer(), i.jwksUri(), r.algorithms());
        } catch (JsonProcessingException ex) {
            LOG.errorf("tenant %s: stored trusted issuer %s is unreadable and is ignored", tenantId, i.issuer());
            return null;
        }
    }
}
