package dev.kerbex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@code private_key_jwt} assertions without a server: key selection, algorithms, lifetime and replay. */
class ClientAssertionVerifierTest {
    static final String TOKEN = "https://kerbex.example.test/tenants/acme/oauth2/token";
    static final Set<String> AUDIENCES = Set.of("https://kerbex.example.test/tenants/acme", TOKEN);

    ECKey ecA;
    ECKey ecB;
    RSAKey rsa;
    RSAKey rs256;
    MutableClock clock;
    ClientAssertionVerifier verifier;
    TenantSnapshot tenant;

    @BeforeEach
    void setUp() throws Exception {
        ecA = new ECKeyGenerator(Curve.P_256).keyID("a").algorithm(JWSAlgorithm.ES256).generate();
        ecB = new ECKeyGenerator(Curve.P_256).keyID("b").generate();
        rsa = new RSAKeyGenerator(2048).generate(); // no kid, no alg
        rs256 = new RSAKeyGenerator(2048).keyID("r").algorithm(JWSAlgorithm.RS256).generate();
        clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        Set<String> seen = new HashSet<>();
        verifier = new ClientAssertionVerifier((kind, hash, until) -> seen.add(kind + HexFormat.of().formatHex(hash)),
                clock);
        Map<String, Object> jwks = Map.of("keys", List.of(ecA.toPublicJWK().toJSONObject(),
                ecB.toPublicJWK().toJSONObject(), rsa.toPublicJWK().toJSONObject(), rs256.toPublicJWK().toJSONObject()));
        tenant = TenantSnapshot.of(new Tenant("acme", List.of("EXAMPLE.TEST"), List.of(), List.of(), Duration.ofHours(1),
                null), List.of(new OAuthClient("acme", "svc", null, null, List.of(OAuthClient.TOKEN_EXCHANGE), List.of(),
                        null, jwks)), List.of());
    }

    JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("svc").subject("svc").audience(TOKEN).jwtID("j-" + System.nanoTime())
                .expirationTime(Date.from(clock.instant().plusSeconds(60)));
    }

    static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    OAuthClient verify(String assertion, String clientId) {
        return verifier.verify(tenant, assertion, clientId, AUDIENCES);
    }

    @Test
    void verifyWhenNoKidThenEachKeyOfTheAlgorithmsTypeIsTried() throws Exception {
        assertThat(verify(sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ecB), claims().build()), null)
                .clientId()).isEqualTo("svc");
        assertThat(verify(sign(new JWSHeader(JWSAlgorithm.PS256), new RSASSASigner(rsa), claims().build()), "svc")
                .clientId()).isEqualTo("svc");
    }

    @Test
    void verifyWhenKidNamesAnotherKeyThanTheSignersThenFailedWithoutCause() {
        refused(() -> verify(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("a").build(), new ECDSASigner(ecB),
                claims().build()), null), OAuthErrorCode.INVALID_CLIENT, "client authentication failed");
    }

    @Test
    void verifyWhenKeyAlgDiffersFromTheAssertionsThenNotUsed() {
        // Key r is registered for RS256 only: a PS256 signature by it is not accepted.
        refused(() -> verify(sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("r").build(), new RSASSASigner(rs256),
                claims().build()), null), OAuthErrorCode.INVALID_CLIENT, "client authentication failed");
    }

    @Test
    void verifyWhenReplayedThenRefused() throws Exception {
        String assertion = sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ecA), claims().build());
        verify(assertion, null);

        refused(() -> verify(assertion, null), OAuthErrorCode.INVALID_CLIENT, "client_assertion: jti replayed");
    }

    /** ECDSA malleability (JwsSignatures): the (r, n − s) twin verifies, and is a replay of its original all the same. */
    @Test
    void verifyWhenEcdsaTwinOfAUsedAssertionThenReplayed() throws Exception {
        String assertion = sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ecA), claims().build());
        String twin = dev.kerbex.testing.EcdsaTwins.twin(assertion);
        assertThat(twin).isNotEqualTo(assertion);
        assertThat(com.nimbusds.jwt.SignedJWT.parse(twin).verify(new com.nimbusds.jose.crypto.ECDSAVerifier(ecA.toECPublicKey())))
                .isTrue();
        verify(assertion, null);

        refused(() -> verify(twin, null), OAuthErrorCode.INVALID_CLIENT, "client_assertion: jti replayed");
    }

    @Test
    void verifyWhenExpAtTheBoundThenAcceptedAndOneSecondLaterRefused() throws Exception {
        Instant bound = clock.instant().plus(ClientAssertionVerifier.MAX_LIFETIME).plus(ClientAssertionVerifier.LEEWAY);
        verify(sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ecA),
                claims().expirationTime(Date.from(bound)).build()), null);

        refused(() -> verify(sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ecA),
                claims().expirationTime(Date.from(bound.plusSeconds(1))).build()), null), OAuthErrorCode.INVALID_CLIENT,
                "client_assertion: exp is more than 300s ahead");
    }

    @Test
    void verifyWhenTypeOfAnAccessTokenOrClientIdDiffersThenRefused() {
        refused(() -> verify(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).build(),
                new ECDSASigner(ecA), claims().build()), null), OAuthErrorCode.INVALID_CLIENT,
                "client_assertion: JWT type not accepted");
        refused(() -> verify(sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ecA), claims().build()), "other"),
                OAuthErrorCode.INVALID_REQUEST, "client_id: differs from the client assertion's sub");
    }

    static void refused(Executable call, OAuthErrorCode code, String description) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.description()).isEqualTo(description);
        });
    }
}
