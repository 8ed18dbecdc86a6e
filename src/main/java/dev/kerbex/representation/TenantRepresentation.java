package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kerbex.tenant.Tenant;
import java.time.Duration;
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
    /** The enctypes of a tenant that names none: SPEC §5's aes-sha1 pair (RFC 8009's are enabled by listing them). */
    public static final List<String> DEFAULT_ENCTYPES = List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96");

    public TenantRepresentation(String id, List<String> realms, List<String> services, List<String> enctypes,
            String maxTokenLifetime, S4u s4u, List<ClientRepresentation> clients,
            List<TrustedIssuerRepresentation> trustedIssuers, List<PolicyRepresentation> policies) {
        this(id, realms, services, enctypes, maxTokenLifetime, s4u, clients, trustedIssuers, policies, null);
    }

    /** The tenant's settings (a validated representation), the nested lists left aside. */
    public Tenant toTenant(Duration defaultLifetime) {
        Duration lifetime = maxTokenLifetime == null ? defaultLifetime : Duration.parse(maxTokenLifetime);
        Tenant.S4uSettings settings = s4u == null ? null
                : new Tenant.S4uSettings(s4u.principal(), s4u.keytab(), s4u.defaultRealm());
        return new Tenant(id, realms, services, enctypes == null || enctypes.isEmpty() ? DEFAULT_ENCTYPES : enctypes,
                lifetime, settings, groupNames);
    }

    /** The settings of {@code t}, as the admin API shows them. */
    public static TenantRepresentation of(Tenant t) {
        S4u s4u = t.s4u() == null ? null : new S4u(t.s4u().principal(), t.s4u().keytab(), t.s4u().defaultRealm());
        return new TenantRepresentation(t.id(), t.realms(), t.services(), t.enctypes(), t.maxTokenLifetime().toString(),
                s4u, null, null, null, t.groupNames());
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S4u(String principal, String keytab, String defaultRealm) {
    }
}
