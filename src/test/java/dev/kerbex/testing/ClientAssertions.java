package dev.kerbex.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The {@code keyed} client of the fixture, which authenticates only with {@code private_key_jwt} (RFC 7523): its
 * key pair (generated once per JVM with Nimbus JOSE; the public half is registered in the bootstrap file) and
 * assertions signed with it.
 */
public final class ClientAssertions {
    public static final String CLIENT = "keyed";
    public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final String TOKEN_ENDPOINT = "http://localhost:8080/tenants/acme/oauth2/token";
    public static final ECKey KEY = generate("keyed-1");

    private ClientAssertions() {
    }

    public static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a good assertion of {@link #CLIENT} for the token endpoint; tests change one thing. */
    public static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(CLIENT).subject(CLIENT).audience(TOKEN_ENDPOINT)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)));
    }

    public static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String assertion() {
        return sign(KEY, claims().build());
    }

    /** The JWK Set the bootstrap file registers for {@link #CLIENT}. */
    public static String publicJwks() {
        return "{\"keys\": [" + KEY.toPublicJWK().toJSONString() + "]}";
    }
}
