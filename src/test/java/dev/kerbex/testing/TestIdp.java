package dev.kerbex.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The external identity provider of the {@code @QuarkusTest}s: a {@link TestJwksServer} started once per JVM,
 * before {@link KerbexTestResource} writes the bootstrap file that names it as acme's trusted issuers.
 *
 * <ul>
 * <li>{@link #issuer()} publishes {@link #key()} at {@link #jwksPath()};</li>
 * <li>{@link #rotatingIssuer()} publishes the same key at its own path, so that its hit count belongs to the
 * unknown-kid test alone;</li>
 * <li>{@link #downIssuer()}'s {@code jwks_uri} is a loopback port nothing listens on.</li>
 * </ul>
 */
public final class TestIdp {
    private static TestIdp instance;

    private final TestJwksServer server;
    private final ECKey key;
    private final String downJwksUri;

    private TestIdp() {
        server = TestJwksServer.start();
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID("idp-key-1").algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        server.answer(jwksPath(), TestJwksServer.Answer.json(jwks));
        server.answer(rotatingJwksPath(), TestJwksServer.Answer.json(jwks));
        downJwksUri = TestJwksServer.deadUrl("/jwks");
    }

    public static synchronized TestIdp get() {
        if (instance == null) {
            instance = new TestIdp();
        }
        return instance;
    }

    public String issuer() {
        return server.url("/idp");
    }

    public String jwksPath() {
        return "/idp/jwks";
    }

    public String rotatingIssuer() {
        return server.url("/rotating");
    }

    public String rotatingJwksPath() {
        return "/rotating/jwks";
    }

    public String downIssuer() {
        return server.url("/down");
    }

    public String downJwksUri() {
        return downJwksUri;
    }

    public String jwksUri(String path) {
        return server.url(path);
    }

    public int hits(String path) {
        return server.hits(path);
    }

    public ECKey key() {
        return key;
    }

    /** {@code claims} signed ES256 by {@code signer} under its kid. */
    public static String sign(ECKey signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signer.getKeyID()).build(),
                    claims);
            jwt.sign(new ECDSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
