package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A tenant as the declarative file (SPEC §12) and the admin API read and write it. The nested lists are
 * used by the declarative file only. {@code groupNames}: SPEC §5a, SID → name.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantRepresentation(String id, List<String> realms, List<String> services, List<String> enctypes,
        String maxTokenLifetime, S4u s4u, List<ClientRepresentation> clients,
        List<TrustedIssuerRepresentation> trustedIssuers, List<PolicyRepresentation> policies,
        Map<String, String> groupNames) {

    public TenantRepresentation(String id, List<String> realms, List<String> services, List<String> enctypes,
            String maxTokenLifetime, S4u s4u, List<ClientRepresentation> clients,
            List<TrustedIssuerRepresentation> trustedIssuers, List<PolicyRepresentation> policies) {
        this(id, realms, services, enctypes, maxTokenLifetime, s4u, clients, trustedIssuers, policies, null);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S4u(String principal, String keytab, String defaultRealm) {
    }
}
