package dev.kerbex.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The minter writes JWS compact serialisations that a standard verifier (jose4j) accepts, for every key type Kerbex makes. */
class AccessTokenMinterTest {

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "ES384", "RS256"})
    void signThenJose4jVerifiesHeaderSignatureAndClaims(String algorithm) throws Exception {
        KeyPair pair = keyPair(algorithm);
        SigningKeys.SigningKey key = new SigningKeys.SigningKey("kid-\"1\"/x", algorithm, pair.getPrivate());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://kerbex.example.test/tenants/acme");
        claims.put("sub", "alice@EXAMPLE.TEST");
        claims.put("aud", List.of("https://a.example.test", "https://b.example.test"));
        claims.put("exp", 2_000_000_000L);
        claims.put("scope", "read write");
        claims.put("dept", "bill\u00e9ing \"quoted\" \\ \u0001");
        claims.put("act", Map.of("sub", "svc-api", "act", Map.of("sub", "svc-gw")));

        String token = AccessTokenMinter.sign(key, claims);

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(pair.getPublic());
        assertTrue(jws.verifySignature(), "signature verifies");
        assertEquals(algorithm, jws.getAlgorithmHeaderValue());
        assertEquals("kid-\"1\"/x", jws.getKeyIdHeaderValue());
        assertEquals("at+jwt", jws.getHeader("typ"));
        JwtClaims read = JwtClaims.parse(jws.getPayload());
        assertEquals("alice@EXAMPLE.TEST", read.getSubject());
        assertEquals(List.of("https://a.example.test", "https://b.example.test"), read.getAudience());
        assertEquals(2_000_000_000L, read.getExpirationTime().getValue());
        assertEquals("bill\u00e9ing \"quoted\" \\ \u0001", read.getStringClaimValue("dept"));
        assertEquals(Map.of("sub", "svc-api", "act", Map.of("sub", "svc-gw")), read.getClaimValue("act"));
        if (algorithm.startsWith("ES")) {
            // R || S at the curve's size (RFC 7518 §3.4), not DER.
            int expected = algorithm.equals("ES256") ? 64 : 96;
            assertEquals(expected, Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)).length);
        }
        assertFalse(token.contains("="), "base64url without padding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "RS256"})
    void tokenSignedByOneKeyDoesNotVerifyWithAnother(String algorithm) throws Exception {
        SigningKeys.SigningKey key = new SigningKeys.SigningKey("k1", algorithm, keyPair(algorithm).getPrivate());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(AccessTokenMinter.sign(key, Map.of("sub", "alice")));
        jws.setKey(keyPair(algorithm).getPublic());
        assertFalse(jws.verifySignature());
    }

    private static KeyPair keyPair(String algorithm) throws Exception {
        if (algorithm.startsWith("RS")) {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return gen.generateKeyPair();
        }
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec(algorithm.equals("ES256") ? "secp256r1" : "secp384r1"));
        return gen.generateKeyPair();
    }
}
