package dev.kerbex.jwt;

import static dev.kerbex.jwt.JwtSubjectVerifierTest.CLIENT;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.CLIENT_AUDIENCE;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.NOW;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.assertRefused;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.assertThrows;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.date;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.sign;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.signWithHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.tenant.TrustedIssuer;
import dev.kerbex.testing.MutableClock;
import dev.kerbex.testing.TestJwksServer.Answer;
import dev.kerbex.testing.TestJwksServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JWTs of a tenant's trusted external issuers (SPEC §3, issue 5): keys fetched from a JDK HTTP server on loopback,
 * cached, refetched on an unknown {@code kid} at most once per 30 s, algorithms limited to the issuer's, and a
 * fetch failure answered 503 rather than as a refusal.
 */
class TrustedIssuerVerifierTest {
    static final String IDP_PATH = "/idp/jwks";

    static TestJwksServer server;
    static ECKey idpEc;
    static RSAKey idpRsa;
    static ECKey stranger;

    String idp;
    String jwksPath;
    MutableClock clock;
    JwtSubjectVerifier verifier;
    OAuthClient client;
    final List<TrustedIssuer> trusted = new ArrayList<>();
    int counter;

    @BeforeAll
    static void start() throws JOSEException {
        server = TestJwksServer.start();
        idpEc = new ECKeyGenerator(Curve.P_256).keyID("idp-ec").algorithm(JWSAlgorithm.ES256).generate();
        // Published without "alg", as many identity providers do: the key type must fit the token's algorithm.
        idpRsa = new RSAKeyGenerator(2048).keyID("idp-rsa").generate();
        stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").algorithm(JWSAlgorithm.ES256).generate();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void setUp() {
        // A path of its own per test: hit counts and the verifier's cache start from nothing.
        jwksPath = "/t" + (++counter) + "-" + System.nanoTime() + IDP_PATH;
        idp = server.url(jwksPath.substring(0, jwksPath.length() - IDP_PATH.length()) + "/idp");
        publish(idpEc, idpRsa);
        clock = new MutableClock(NOW);
        verifier = new JwtSubjectVerifier(t -> List.of(), t -> "https://kerbex.test/tenants/" + t, clock);
        client = new OAuthClient("acme", CLIENT, null, null, List.of(OAuthClient.TOKEN_EXCHANGE),
                List.of(CLIENT_AUDIENCE), null);
        trusted.clear();
        trusted.add(TrustedIssuer.of(idp, server.url(jwksPath), null));
    }

    // ---------------------------------------------------------------- accepted

    @Test
    void verifyWhenTrustedIssuerTokenThenSubjectNamesThatIssuerAndDropsKrbPrincipal() {
        String token = sign(idpEc, claims().claim("scope", "reports:read").claim("krb_principal", "root@EXAMPLE.TEST")
                .claim("dept", "sales").build());

        VerifiedSubject s = verify(token);

        assertThat(s.principal()).isEqualTo("bob@idp.example.test");
        assertThat(s.issuer()).isEqualTo(idp);
        assertThat(s.scopes()).containsExactly("reports:read");
        assertThat(s.claims()).containsEntry("dept", "sales").doesNotContainKey("krb_principal");
        assertThat(server.hits(jwksPath)).isEqualTo(1);
    }

    @Test
    void verifyWhenRsaKeyPublishedWithoutAlgThenRs256Accepted() {
        assertThat(verify(signAs(idpRsa, JWSAlgorithm.RS256, claims().build())).principal())
                .isEqualTo("bob@idp.example.test");
    }

    @Test
    void verifyWhenKeysCachedThenFetchedOnceUntilTenMinutesPass() {
        String token = sign(idpEc, claims().expirationTime(date(NOW.plus(Duration.ofHours(1)))).build());
        verify(token);
        clock.advance(Duration.ofMinutes(9));
        verify(token);
        assertThat(server.hits(jwksPath)).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        verify(token);
        assertThat(server.hits(jwksPath)).isEqualTo(2);
    }

    @Test
    void verifyWhenActorTokenOfTrustedIssuerThenAcceptedAndErrorsNameActorToken() {
        TenantSnapshot tenant = snapshot();
        VerifiedSubject actor = verifier.verify(sign(idpEc, claims().subject("svc-partner").build()), TokenType.JWT,
                new VerificationContext(tenant, client, "actor_token"));
        assertThat(actor.principal()).isEqualTo("svc-partner");
        assertThat(actor.issuer()).isEqualTo(idp);

        String unknown = sign(stranger, claims().build());
        assertRefused(() -> verifier.verify(unknown, TokenType.JWT, new VerificationContext(tenant, client, "actor_token")),
                "actor_token: JWT signing key is not one of this issuer's");
    }

    // ---------------------------------------------------------------- refused

    @Test
    void verifyWhenIssuerNotTrustedThenRefused() {
        String token = sign(idpEc, claims().issuer("https://other-idp.example.test").build());
        assertRefused(() -> verify(token), "subject_token: JWT issuer is not trusted by this tenant");
        assertThat(server.hits(jwksPath)).as("no fetch for an untrusted issuer").isZero();
    }

    @Test
    void verifyWhenUnknownKidThenRefusedAfterOneRefetchAtMostEveryThirtySeconds() {
        verify(sign(idpEc, claims().build()));
        assertThat(server.hits(jwksPath)).isEqualTo(1);
        String unknown = sign(stranger, claims().build());

        clock.advance(Duration.ofSeconds(31));
        assertRefused(() -> verify(unknown), "subject_token: JWT signing key is not one of this issuer's");
        assertThat(server.hits(jwksPath)).as("one refetch").isEqualTo(2);
        clock.advance(Duration.ofSeconds(10));
        assertRefused(() -> verify(unknown), "subject_token: JWT signing key is not one of this issuer's");
        assertRefused(() -> verify(sign(stranger, claims().jwtID("another").build())),
                "subject_token: JWT signing key is not one of this issuer's");
        assertThat(server.hits(jwksPath)).as("bounded: no fetch within 30 s of the last").isEqualTo(2);
    }

    @Test
    void verifyWhenIssuerRotatesThenNewKidFetchedOnceTheBoundAllows() throws JOSEException {
        verify(sign(idpEc, claims().build()));
        ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("idp-ec-2").algorithm(JWSAlgorithm.ES256).generate();
        publish(idpEc, rotated);
        String token = sign(rotated, claims().build());

        assertRefused(() -> verify(token), "subject_token: JWT signing key is not one of this issuer's");
        assertThat(server.hits(jwksPath)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(verify(token).principal()).isEqualTo("bob@idp.example.test");
        assertThat(server.hits(jwksPath)).isEqualTo(2);
    }

    @Test
    void verifyWhenAlgorithmNotDeclaredForIssuerThenRefused() {
        trusted.set(0, TrustedIssuer.of(idp, server.url(jwksPath), List.of("ES256", "HS256", "none")));
        assertThat(trusted.get(0).algorithms()).containsExactly("ES256");

        assertRefused(() -> verify(signAs(idpRsa, JWSAlgorithm.RS256, claims().build())),
                "subject_token: JWT algorithm not allowed");
        assertThat(server.hits(jwksPath)).isZero();
    }

    @Test
    void verifyWhenHeaderAlgorithmDoesNotFitTheKeyTypeThenRefused() {
        // An RSA signature presented under the EC key's id.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idpEc.getKeyID()).build();
        assertRefused(() -> verify(signWithHeader(idpRsa, header, claims().build())),
                "subject_token: JWT algorithm does not match its key");
    }

    @Test
    void verifyWhenTypeIsADpopProofsThenRefused() {
        // RFC 8725 §3.11: a DPoP proof (or any other kind of JWT) the issuer signed is not an access token.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(idpEc.getKeyID())
                .type(new com.nimbusds.jose.JOSEObjectType("dpop+jwt")).build();
        assertRefused(() -> verify(signWithHeader(idpEc, header, claims().build())),
                "subject_token: JWT type not accepted");
    }

    @Test
    void verifyWhenSignedByAnotherKeyUnderAPublishedKidThenSignatureInvalid() throws JOSEException {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(idpEc.getKeyID()).algorithm(JWSAlgorithm.ES256).generate();
        assertRefused(() -> verify(sign(impostor, claims().build())), "subject_token: JWT signature invalid");
    }

    @Test
    void verifyWhenAudienceIsAnotherPartyThenRefused() {
        String token = sign(idpEc, claims().audience("https://elsewhere.example.test").build());
        assertRefused(() -> verify(token), "subject_token: token audience does not include this client");
    }

    @Test
    void verifyWhenExpiredThenRefused() {
        String token = sign(idpEc, claims().expirationTime(date(NOW.minusSeconds(1))).build());
        assertRefused(() -> verify(token), "subject_token: JWT expired");
    }

    // ---------------------------------------------------------------- keys unavailable: 503

    @Test
    void verifyWhenJwksServerDownThenTemporarilyUnavailableAndRetriedAtMostEveryThirtySeconds() {
        String dead = TestJwksServer.deadUrl("/jwks");
        trusted.set(0, TrustedIssuer.of(idp, dead, null));

        OAuthException e = assertUnavailable(sign(idpEc, claims().build()));
        assertThat(e.detail()).startsWith("subject_token: JWKS " + dead + ": fetch failed");
    }

    @Test
    void verifyWhenJwksAnswersErrorThenUnavailableAndTheDeadIssuerIsAskedOncePerThirtySeconds() {
        server.answer(jwksPath, new Answer(500, "application/json", "{}"));
        String token = sign(idpEc, claims().build());

        assertThat(assertUnavailable(token).detail()).endsWith(": HTTP 500");
        assertUnavailable(token);
        assertThat(server.hits(jwksPath)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        publish(idpEc);
        assertThat(verify(token).principal()).isEqualTo("bob@idp.example.test");
        assertThat(server.hits(jwksPath)).isEqualTo(2);
    }

    @Test
    void verifyWhenJwksNotJsonThenUnavailable() {
        server.answer(jwksPath, new Answer(200, "text/html", new JWKSet(idpEc.toPublicJWK()).toString()));
        assertThat(assertUnavailable(sign(idpEc, claims().build())).detail()).contains("is not JSON");
    }

    @Test
    void verifyWhenJwksLargerThan64KiBThenUnavailable() {
        server.answer(jwksPath, Answer.json("{\"keys\": [], \"pad\": \"" + "x".repeat(64 * 1024) + "\"}"));
        assertThat(assertUnavailable(sign(idpEc, claims().build())).detail()).contains("larger than 65536 bytes");
    }

    @Test
    void verifyWhenJwksUriIsPlainHttpToAnotherHostThenUnavailableWithoutFetching() {
        trusted.set(0, TrustedIssuer.of(idp, "http://idp.example.test/jwks", null));
        assertThat(assertUnavailable(sign(idpEc, claims().build())).detail()).contains("https required");
    }

    @Test
    void verifyWhenKeysExpiredAndRefetchFailsThenUnavailableNotStaleKeys() {
        String token = sign(idpEc, claims().expirationTime(date(NOW.plus(Duration.ofHours(1)))).build());
        verify(token);
        server.answer(jwksPath, new Answer(503, "text/plain", "down"));
        clock.advance(Duration.ofMinutes(10));
        assertUnavailable(token);
    }

    // ---------------------------------------------------------------- helpers

    VerifiedSubject verify(String token) {
        return verifier.verify(token, TokenType.JWT, new VerificationContext(snapshot(), client, "subject_token"));
    }

    TenantSnapshot snapshot() {
        return TenantSnapshot.of(new Tenant("acme", List.of("EXAMPLE.TEST"), List.of(), List.of(), Duration.ofHours(1),
                null), List.of(client), List.of(), trusted);
    }

    OAuthException assertUnavailable(String token) {
        OAuthException e = assertThrows(() -> verify(token));
        assertThat(e.code()).isEqualTo(OAuthErrorCode.TEMPORARILY_UNAVAILABLE);
        assertThat(e.code().status()).isEqualTo(503);
        assertThat(e.description()).isEqualTo("subject_token: the JWT issuer's keys are temporarily unavailable, retry later");
        return e;
    }

    void publish(JWK... keys) {
        server.answer(jwksPath, Answer.json(new JWKSet(List.of(keys)).toPublicJWKSet().toString()));
    }

    /** A valid token of the trusted issuer for the client; tests change one thing. */
    JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(idp).subject("bob@idp.example.test").audience(CLIENT)
                .expirationTime(date(NOW.plusSeconds(300))).issueTime(date(NOW.minusSeconds(10)))
                .notBeforeTime(date(NOW.minusSeconds(10))).jwtID("jti-ext-1");
    }

    static String signAs(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        return signWithHeader(key, new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
    }
}
