package dev.kerbex.testing;

import io.smallrye.jwt.build.Jwt;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Admin bearer tokens for tests: an RSA key pair whose public half is the service's static
 * {@code quarkus.oidc.public-key} (no identity provider), and tokens signed with the private half.
 *
 * <p>The key pair is kept in system properties: the test resource and the tests run in different class
 * loaders, and both must see the same pair.
 */
public final class AdminTokens {
    public static final String ISSUER = "https://admin-idp.example.test";
    private static final String PRIVATE = "kerbextest_admin_private_key";
    private static final String PUBLIC = "kerbextest_admin_public_key";

    private AdminTokens() {
    }

    /** The configuration that makes the service accept these tokens on /admin/*. */
    public static Map<String, String> config() {
        keys();
        return Map.of("quarkus.oidc.public-key", System.getProperty(PUBLIC), "quarkus.oidc.token.issuer", ISSUER);
    }

    /** A token for {@code sub} with these roles, valid for five minutes. */
    public static String token(String sub, String... roles) {
        return Jwt.issuer(ISSUER).subject(sub).claim("roles", List.of(roles)).expiresIn(300).sign(privateKey());
    }

    public static String admin() {
        return token("root-admin", "kerbex-admin");
    }

    /** A token signed by some other key: the service must refuse it. */
    public static String forged(String... roles) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return Jwt.issuer(ISSUER).subject("mallory").claim("roles", List.of(roles)).expiresIn(300)
                    .sign(g.generateKeyPair().getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void keys() {
        if (System.getProperty(PRIVATE) != null) {
            return;
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair pair = g.generateKeyPair();
            System.setProperty(PUBLIC, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            System.setProperty(PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey() {
        keys();
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(PRIVATE))));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
