package dev.kerbex.admin;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * quarkus-oidc refuses to start when its default tenant has neither a discovery URL nor a static key. Kerbex must
 * start without either (SPEC §11: the admin API is optional), so the default tenant is switched off until one of
 * them is configured; the admin API then answers 401 to everyone. An explicit quarkus.oidc.tenant-enabled wins.
 */
public final class AdminOidcDefaults implements ConfigSourceFactory {
    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean configured = present(context, "quarkus.oidc.auth-server-url") || present(context, "quarkus.oidc.public-key")
                || present(context, "quarkus.oidc.certificate-chain.trust-store-file");
        // Always say it, true or false: a value seen while building would otherwise be kept as the runtime default.
        return List.of(new PropertiesConfigSource(Map.of("quarkus.oidc.tenant-enabled", Boolean.toString(configured)),
                "kerbex-admin-oidc-defaults", ORDINAL));
    }

    private static boolean present(ConfigSourceContext context, String name) {
        var v = context.getValue(name);
        if (v != null && v.getValue() != null && !v.getValue().isBlank()) {
            return true;
        }
        // The factory's context does not include environment variables: look for QUARKUS_OIDC_... directly.
        String env = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        return env != null && !env.isBlank();
    }
}
