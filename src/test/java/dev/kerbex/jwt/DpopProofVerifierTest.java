package dev.kerbex.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 9449 §4.3 checks that need no server: URL matching, the time window, replay, an RSA (PS256) proof. */
class DpopProofVerifierTest {
    static final String URL = "https://kerbex.example.test/tenants/acme/oauth2/token";

    @ParameterizedTest
    @CsvSource({
            "https://kerbex.example.test/tenants/acme/oauth2/token, true",
            "HTTPS://Kerbex.Example.Test/tenants/acme/oauth2/token, true",
            "https://kerbex.example.test:443/tenants/acme/oauth2/token, true",
            "https://kerbex.example.test/tenants/acme/oauth2/token?x=1#y, true",
            "http://kerbex.example.test/tenants/acme/oauth2/token, false",
            "https://kerbex.example.test:8443/tenants/acme/oauth2/token, false",
            "https://kerbex.example.test/tenants/ACME/oauth2/token, false",
            "https://kerbex.example.test/tenants/acme/oauth2/token/, false",
            "not a url, false" })
    void htuMatchesTheEndpointIgnoringQueryFragmentCaseOfHostAndDefaultPort(String htu, boolean same) {
        assertThat(DpopProofVerifier.sameUrl(htu, URL)).isEqualTo(same);
    }

    @Test
    void verifyWhenRsaPs256ProofThenThumbprintAndOnceOnly() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        MutableClock clock = new MutableClock(Instant.now());
        Set<String> seen = new HashSet<>();
        List<Instant> kept = new ArrayList<>();
        DpopProofVerifier verifier = new DpopProofVerifier((kind, hash, until) -> {
            kept.add(until);
            return seen.add(kind + java.util.HexFormat.of().formatHex(hash));
        }, clock);
        SignedJWT proof = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID("j1").claim("htm", "POST")
                .claim("htu", URL).issueTime(Date.from(clock.instant())).build());
        proof.sign(new RSASSASigner(key));

        String jkt = verifier.verify(List.of(proof.serialize()), "POST", URL, "acme");

        assertThat(jkt).isEqualTo(key.computeThumbprint().toString());
        assertThat(kept.get(0)).isAfter(clock.instant().plusSeconds(60));
        assertThatThrownBy(() -> verifier.verify(List.of(proof.serialize()), "POST", URL, "acme"))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_DPOP_PROOF);
                    assertThat(e.description()).isEqualTo("DPoP: proof replayed");
                });
        // The same proof one minute and more later is stale before it is a replay.
        clock.advance(java.time.Duration.ofSeconds(61));
        assertThatThrownBy(() -> verifier.verify(List.of(proof.serialize()), "POST", URL, "acme"))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.description())
                        .isEqualTo("DPoP: iat is not within 60s of the server's time"));
    }

    /** ECDSA malleability (JwsSignatures): the twin of a used ES256 proof verifies, and is refused as a replay. */
    @Test
    void verifyWhenEcdsaTwinOfAUsedProofThenReplayed() throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .generate();
        MutableClock clock = new MutableClock(Instant.now());
        Set<String> seen = new HashSet<>();
        DpopProofVerifier verifier = new DpopProofVerifier((kind, hash, until) ->
                seen.add(kind + java.util.HexFormat.of().formatHex(hash)), clock);
        SignedJWT proof = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID("e1").claim("htm", "POST")
                .claim("htu", URL).issueTime(Date.from(clock.instant())).build());
        proof.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        String twin = dev.kerbex.testing.EcdsaTwins.twin(proof.serialize());
        assertThat(twin).isNotEqualTo(proof.serialize());
        assertThat(SignedJWT.parse(twin).verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key.toECPublicKey()))).isTrue();

        verifier.verify(List.of(proof.serialize()), "POST", URL, "acme");

        assertThatThrownBy(() -> verifier.verify(List.of(twin), "POST", URL, "acme"))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_DPOP_PROOF);
                    assertThat(e.description()).isEqualTo("DPoP: proof replayed");
                });
    }
}
