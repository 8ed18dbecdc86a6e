package dev.kerbex.admin;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated admin and what their {@code roles} claim lets them do (SPEC §8): {@code kerbex-admin} everything,
 * {@code tenant-admin:{t}} read and write tenant t, {@code tenant-viewer:{t}} read it.
 */
record AdminCaller(String name, Set<String> roles) {
    static final String ADMIN = "kerbex-admin";

    static AdminCaller of(SecurityIdentity identity) {
        String name = null;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            name = jwt.getSubject() != null ? jwt.getSubject() : jwt.getClaim("preferred_username");
        }
        if (name == null) {
            name = identity.getPrincipal().getName();
        }
        return new AdminCaller(name, Set.copyOf(identity.getRoles()));
    }

    /** The OAuth client the admin's token was issued to ({@code azp}, else {@code client_id}), for the log context. */
    static String clientId(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object azp = jwt.getClaim("azp");
            Object clientId = azp != null ? azp : jwt.getClaim("client_id");
            return clientId == null ? null : clientId.toString();
        }
        return null;
    }

    boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    boolean mayRead(String tenant) {
        return isAdmin() || roles.contains("tenant-admin:" + tenant) || roles.contains("tenant-viewer:" + tenant);
    }

    boolean mayWrite(String tenant) {
        return isAdmin() || roles.contains("tenant-admin:" + tenant);
    }
}
