package dev.kerbex.tenant;

import dev.kerbex.policy.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Everything the token endpoint needs of one tenant, read together and cached briefly. */
public record TenantSnapshot(Tenant tenant, Map<String, OAuthClient> clients, List<Policy> policies,
        Map<String, TrustedIssuer> trustedIssuers) {

    public TenantSnapshot {
        clients = Map.copyOf(clients);
        policies = List.copyOf(policies);
        trustedIssuers = Map.copyOf(trustedIssuers);
    }

    public static TenantSnapshot of(Tenant tenant, List<OAuthClient> clients, List<Policy> policies) {
        return of(tenant, clients, policies, List.of());
    }

    public static TenantSnapshot of(Tenant tenant, List<OAuthClient> clients, List<Policy> policies,
            List<TrustedIssuer> trustedIssuers) {
        return new TenantSnapshot(tenant,
                clients.stream().collect(Collectors.toMap(OAuthClient::clientId, Function.identity())), policies,
                trustedIssuers.stream().collect(Collectors.toMap(TrustedIssuer::issuer, Function.identity())));
    }

    /** The trusted external issuer whose {@code iss} this is (SPEC §3). */
    public Optional<TrustedIssuer> trustedIssuer(Object iss) {
        return Optional.ofNullable(iss instanceof String s ? trustedIssuers.get(s) : null);
    }

    public Optional<OAuthClient> client(String clientId) {
        return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
    }

    /** The client registered for Kerberos self-exchange with this principal (SPEC §3). */
    public Optional<OAuthClient> clientForPrincipal(String principal) {
        return clients.values().stream().filter(c -> principal.equals(c.kerberosPrincipal())).findFirst();
    }
}
