package dev.kerbex.admin;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * quarkus-oidc refuses to start when its default tenant has neither a discovery URL nor a static key. Kerbex must
 * start without either (SPEC §11: the admin API is optional), so the default tenant is switched off until one of
 * them is configured; the admin API then answers 401 to everyone. An explicit quarkus.oidc.tenant-enabled wins.
 *
 * <p>A static {@code quarkus.oidc.public-key} must be RSA: quarkus-oidc decodes it as RSA whatever it is, and an EC
 * key stopped the start with an OIDCException and its stack trace. Such a key (or one that is no key at all) is
 * refused here instead: the OIDC tenant stays off, and {@link AdminStaticKeyCheck} stops the start with one line
 * that says what to do.
 */
public final class AdminOidcDefaults implements ConfigSourceFactory {
    /** Set when the static admin key is refused: the one line {@link AdminStaticKeyCheck} logs before stopping. */
    static final String REFUSED_KEY = "kerbex-internal.admin-static-key-refused"; // outside the kerbex.* mapping
    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> staticKey = value(context, "quarkus.oidc.public-key");
        Optional<String> problem = staticKey.flatMap(AdminOidcDefaults::staticKeyProblem);
        boolean configured = (staticKey.isPresent() && problem.isEmpty())
                || value(context, "quarkus.oidc.auth-server-url").isPresent()
                || value(context, "quarkus.oidc.certificate-chain.trust-store-file").isPresent();
        // Always say it, true or false: a value seen while building would otherwise be kept as the runtime default.
        Map<String, String> values = new HashMap<>();
        values.put("quarkus.oidc.tenant-enabled", Boolean.toString(configured));
        problem.ifPresent(p -> values.put(REFUSED_KEY, p));
        return List.of(new PropertiesConfigSource(values, "kerbex-admin-oidc-defaults", ORDINAL));
    }

    /**
     * Why {@code quarkus.oidc.public-key} cannot be used, or empty when it is an RSA public key (base64 DER
     * SubjectPublicKeyInfo, optionally inside PEM armour).
     */
    static Optional<String> staticKeyProblem(String value) {
        String body = value.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return Optional.of("quarkus.oidc.public-key is not base64: give the RSA public key as a PEM body"
                    + " (base64 DER SubjectPublicKeyInfo)");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                return algorithm.equals("RSA") ? Optional.empty()
                        : Optional.of("quarkus.oidc.public-key is an EC key, but a static admin key must be RSA"
                                + " (quarkus-oidc reads it as RSA only): use an RSA key, or quarkus.oidc.auth-server-url"
                                + " with an identity provider whose JWKS holds the EC key");
            } catch (java.security.GeneralSecurityException e) {
                // not of this algorithm: try the next
            }
        }
        return Optional.of("quarkus.oidc.public-key is not an RSA public key (base64 DER SubjectPublicKeyInfo)");
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        var v = context.getValue(name);
        if (v != null && v.getValue() != null && !v.getValue().isBlank()) {
            return Optional.of(v.getValue());
        }
        // The factory's context does not include environment variables: look for QUARKUS_OIDC_... directly.
        String env = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
    }
}
