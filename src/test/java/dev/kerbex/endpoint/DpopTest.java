package dev.kerbex.endpoint;

import static dev.kerbex.endpoint.TokenErrorsTest.assertError;
import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.ClientAssertions;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.IssuedTokenRequests;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TokenRequests;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449) at the token endpoint through HTTP: proofs made with Nimbus JOSE, the issued token's
 * {@code cnf.jkt} and {@code token_type}, every refusal of a bad or replayed proof, and policies that require a
 * sender-constrained token.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class DpopTest {
    static final String TOKEN_URL = "http://localhost:8080/tenants/acme/oauth2/token";
    static final ECKey KEY = ClientAssertions.generate("dpop-key");

    @Inject
    AgroalDataSource dataSource;

    static JWTClaimsSet.Builder proofClaims() {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST").claim("htu", TOKEN_URL)
                .issueTime(new Date());
    }

    static String proof(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(key.toPublicJWK()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof with a header written by hand (what Nimbus refuses to build), signed with {@code signer}. */
    static String rawProof(String headerJson, JWTClaimsSet claims, ECKey signer) {
        try {
            String input = Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                    + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
            Base64URL sig = new ECDSASigner(signer).sign(new JWSHeader(JWSAlgorithm.ES256),
                    input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + sig;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Response post(TokenRequests request, String... proofs) {
        var spec = request.spec();
        for (String p : proofs) {
            spec = spec.header("DPoP", p);
        }
        return spec.post("/tenants/acme/oauth2/token");
    }

    @Test
    void exchangeWhenProofValidThenTokenBoundToItsKey() throws Exception {
        Response r = post(aliceForLedger().billing(), proof(KEY, proofClaims().build()));

        r.then().statusCode(200).header("Cache-Control", "no-store");
        assertThat(r.jsonPath().getString("token_type")).isEqualTo("DPoP");
        String token = r.jsonPath().getString("access_token");
        String jkt = KEY.computeThumbprint().toString();
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf")).isEqualTo(Map.of("jkt", jkt));
        Response introspected = IssuedTokenRequests.introspect(KerbexTestResource.BILLING,
                KerbexTestResource.BILLING_SECRET, token);
        assertThat(introspected.jsonPath().getString("token_type")).isEqualTo("DPoP");
        assertThat(introspected.jsonPath().getString("cnf.jkt")).isEqualTo(jkt);
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("outcome", "issued").containsEntry("reason", "DPoP-bound to jkt " + jkt);
    }

    @Test
    void exchangeWhenHeaderNameInLowerCaseThenProofRead() {
        aliceForLedger().billing().spec().header("dpop", proof(KEY, proofClaims().build()))
                .post("/tenants/acme/oauth2/token").then().statusCode(200)
                .body("token_type", org.hamcrest.Matchers.equalTo("DPoP"));
    }

    @Test
    void exchangeWithoutProofThenBearer() {
        aliceForLedger().billing().post().then().statusCode(200)
                .body("token_type", org.hamcrest.Matchers.equalTo("Bearer"));
    }

    @Test
    void exchangeWhenProofReplayedThenInvalidDpopProof() throws Exception {
        JWTClaimsSet claims = proofClaims().build();
        String proof = proof(KEY, claims);
        post(aliceForLedger().billing(), proof).then().statusCode(200);

        Response replay = post(aliceForLedger().billing(), proof);

        assertError(replay, 400, "invalid_dpop_proof", "DPoP: proof replayed");
        assertThat(AuditRows.byRequestId(dataSource, replay.header("X-Request-Id")).orElseThrow())
                .containsEntry("outcome", "refused").containsEntry("error", "invalid_dpop_proof");
        assertThat(AuditRows.everything(dataSource)).doesNotContain(proof.split("\\.")[2]);
        assertThat(dpopReplayRows()).isPositive();
    }

    @Test
    void exchangeWhenHtuHasAQueryThenItIsIgnored() {
        post(aliceForLedger().billing(), proof(KEY, proofClaims().claim("htu", TOKEN_URL + "?x=1#f").build()))
                .then().statusCode(200);
    }

    @Test
    void exchangeWhenProofUnacceptableThenInvalidDpopProofNamingTheCause() {
        long now = Instant.now().getEpochSecond();
        ECKey other = ClientAssertions.generate("other");
        String publicJwk = KEY.toPublicJWK().toJSONString();
        assertError(post(aliceForLedger().billing(), proof(KEY, proofClaims()
                .claim("htu", "http://localhost:8080/tenants/globex/oauth2/token").build())), 400, "invalid_dpop_proof",
                "DPoP: htu does not match the endpoint's URL");
        assertError(post(aliceForLedger().billing(), proof(KEY, proofClaims().claim("htm", "GET").build())), 400,
                "invalid_dpop_proof", "DPoP: htm must be POST");
        // The audit reason quotes the claim; a NUL in it (which PostgreSQL text cannot hold) must not become a 503.
        assertError(post(aliceForLedger().billing(), proof(KEY, proofClaims().claim("htm", "P\u0000ST").build())), 400,
                "invalid_dpop_proof", "DPoP: htm must be POST");
        assertError(post(aliceForLedger().billing(), proof(KEY, proofClaims()
                .issueTime(new Date((now - 120) * 1000)).build())), 400, "invalid_dpop_proof",
                "DPoP: iat is not within 60s of the server's time");
        assertError(post(aliceForLedger().billing(), proof(KEY, proofClaims().jwtID(null).build())), 400,
                "invalid_dpop_proof", "DPoP: jti missing");
        assertError(post(aliceForLedger().billing(), rawProof("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"jwk\":" + publicJwk
                + "}", proofClaims().build(), KEY)), 400, "invalid_dpop_proof", "DPoP: typ must be dpop+jwt");
        assertError(post(aliceForLedger().billing(), rawProof("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":"
                + KEY.toJSONString() + "}", proofClaims().build(), KEY)), 400, "invalid_dpop_proof",
                "DPoP: jwk must be a public key");
        assertError(post(aliceForLedger().billing(), rawProof("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":"
                + publicJwk + "}", proofClaims().build(), other)), 400, "invalid_dpop_proof", "DPoP: signature invalid");
        assertError(post(aliceForLedger().billing(), rawProof("{\"alg\":\"HS256\",\"typ\":\"dpop+jwt\",\"jwk\":"
                + publicJwk + "}", proofClaims().build(), KEY)), 400, "invalid_dpop_proof", "DPoP: algorithm not allowed");
        assertError(post(aliceForLedger().billing(), rawProof("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\"}",
                proofClaims().build(), KEY)), 400, "invalid_dpop_proof", "DPoP: jwk header missing");
        assertError(post(aliceForLedger().billing(), "not-a-proof"), 400, "invalid_dpop_proof",
                "DPoP: not a well-formed JWT");
        // jose4j casts header members to String: a number there must be a refusal, not a 500.
        assertError(post(aliceForLedger().billing(), rawProof("{\"alg\":\"ES256\",\"typ\":7,\"jwk\":" + publicJwk
                + "}", proofClaims().build(), KEY)), 400, "invalid_dpop_proof", "DPoP: not a well-formed JWT");
        assertError(post(aliceForLedger().billing(), proof(KEY, proofClaims().build()), proof(KEY, proofClaims().build())),
                400, "invalid_dpop_proof", "DPoP: more than one DPoP header");
    }

    @Test
    void exchangeWhenPolicyRequiresDpopThenRefusedWithoutProofAndBoundWithOne() {
        TokenRequests request = exchange().param("subject_token_type", AP_REQ)
                .param("subject_token", GssTokens.aliceKrb5Base64()).param("audience", KerbexTestResource.DPOP_API)
                .billing();
        Response refused = post(request);
        assertError(refused, 400, "invalid_request", "DPoP: this exchange requires a DPoP proof (RFC 9449)");
        assertThat(AuditRows.byRequestId(dataSource, refused.header("X-Request-Id")).orElseThrow().get("reason"))
                .isEqualTo("policy dpop-only requires a DPoP-bound token and the request has no DPoP proof");

        Response bound = post(exchange().param("subject_token_type", AP_REQ)
                .param("subject_token", GssTokens.aliceKrb5Base64()).param("audience", KerbexTestResource.DPOP_API)
                .billing(), proof(KEY, proofClaims().build()));
        bound.then().statusCode(200).body("token_type", org.hamcrest.Matchers.equalTo("DPoP"));
    }

    @Test
    void exchangeWhenPolicyRequiresMtlsAndNoClientCertificateThenRefused() {
        Response r = post(exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", KerbexTestResource.MTLS_API).billing(), proof(KEY, proofClaims().build()));

        assertError(r, 400, "invalid_request",
                "request: this exchange requires a certificate-bound token (RFC 8705); send it over TLS with a client certificate");
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("outcome", "refused").containsEntry("error", "invalid_request");
    }

    private int dpopReplayRows() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM replay_entry WHERE kind = 'dpop'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
