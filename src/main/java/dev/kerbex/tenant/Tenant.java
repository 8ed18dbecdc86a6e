package dev.kerbex.tenant;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tenant's settings as the exchange sees them (SPEC §1). {@code services} are the Kerberos service
 * principals tickets may be addressed to; {@code realms} the client realms accepted; {@code groupNames} the
 * tenant's names for Active Directory group SIDs (SPEC §5a).
 */
public record Tenant(String id, List<String> realms, List<String> services, List<String> enctypes,
        Duration maxTokenLifetime, S4uSettings s4u, Map<String, String> groupNames) {
    /** What a tenant id looks like (SPEC §1). */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Tenant(String id, List<String> realms, List<String> services, List<String> enctypes,
            Duration maxTokenLifetime, S4uSettings s4u) {
        this(id, realms, services, enctypes, maxTokenLifetime, s4u, null);
    }

    public Tenant {
        realms = List.copyOf(realms == null ? List.of() : realms);
        services = List.copyOf(services == null ? List.of() : services);
        enctypes = List.copyOf(enctypes == null ? List.of() : enctypes);
        groupNames = Map.copyOf(groupNames == null ? Map.of() : groupNames);
    }

    /** Kerbex's own Kerberos identity for S4U (SPEC §6); null when the tenant has no inverse path. */
    public record S4uSettings(String principal, String keytab, String defaultRealm) {
    }
}
