package dev.kerbex.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verifier on its own, with keys generated here and tokens signed by Nimbus JOSE (not the jose4j that
 * verifies them): every refusal is checked for its code and exact description, and for a detail that never
 * contains the token.
 */
class JwtSubjectVerifierTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String ISSUER = "https://kerbex.test/tenants/acme";
    static final String CLIENT = "reports-api";
    static final String CLIENT_AUDIENCE = "https://reports.example.test";

    static ECKey es256;
    static RSAKey rs256;
    static ECKey es384;
    static ECKey globex;

    final List<String> acmeKeys = new CopyOnWriteArrayList<>();
    MutableClock clock;
    JwtSubjectVerifier verifier;
    TenantSnapshot tenant;
    OAuthClient client;

    @BeforeAll
    static void keys() throws JOSEException {
        es256 = new ECKeyGenerator(Curve.P_256).keyID("es256-key").algorithm(JWSAlgorithm.ES256).generate();
        rs256 = new RSAKeyGenerator(2048).keyID("rs256-key").algorithm(JWSAlgorithm.RS256).generate();
        es384 = new ECKeyGenerator(Curve.P_384).keyID("es384-key").algorithm(JWSAlgorithm.ES384).generate();
        globex = new ECKeyGenerator(Curve.P_256).keyID("globex-key").algorithm(JWSAlgorithm.ES256).generate();
    }

    @BeforeEach
    void setUp() {
        acmeKeys.clear();
        acmeKeys.addAll(List.of(es256.toPublicJWK().toJSONString(), rs256.toPublicJWK().toJSONString(),
                es384.toPublicJWK().toJSONString()));
        clock = new MutableClock(NOW);
        verifier = new JwtSubjectVerifier(t -> t.equals("acme") ? acmeKeys : List.of(globex.toPublicJWK().toJSONString()),
                t -> "https://kerbex.test/tenants/" + t, clock);
        client = new OAuthClient("acme", CLIENT, null, null, List.of(OAuthClient.TOKEN_EXCHANGE),
                List.of(CLIENT_AUDIENCE), null);
        tenant = TenantSnapshot.of(new Tenant("acme", List.of("EXAMPLE.TEST"), List.of(), List.of(), Duration.ofHours(1),
                null), List.of(client), List.of());
    }

    // ---------------------------------------------------------------- accepted

    @Test
    @SuppressWarnings("unchecked")
    void verifyWhenTenantTokenThenSubjectCarriesItsClaims() throws Exception {
        Map<String, Object> act = Map.of("sub", "svc-billing/app.example.test@EXAMPLE.TEST", "act", Map.of("sub", "first"));
        String token = sign(es256, claims().claim("scope", "reports:read reports:write")
                .claim("auth_time", NOW.minusSeconds(600).getEpochSecond())
                .claim("krb_principal", "alice@EXAMPLE.TEST").claim("level", 3)
                .claim("act", act).claim("may_act", Map.of("sub", "svc-archive")).build());

        VerifiedSubject s = verifier.verify(token, TokenType.ACCESS_TOKEN, context("subject_token"));

        assertThat(s.type()).isEqualTo(TokenType.ACCESS_TOKEN);
        assertThat(s.principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(s.issuer()).isEqualTo(ISSUER);
        assertThat(s.realm()).isNull();
        assertThat(s.isKerberos()).isFalse();
        assertThat(s.scopes()).containsExactlyInAnyOrder("reports:read", "reports:write");
        assertThat(s.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(s.authTime()).isEqualTo(NOW.minusSeconds(600));
        assertThat(s.act()).containsEntry("sub", "svc-billing/app.example.test@EXAMPLE.TEST");
        assertThat((Map<String, Object>) s.act().get("act")).containsEntry("sub", "first");
        assertThat(s.mayAct()).containsExactly("svc-archive");
        assertThat(s.claims()).containsEntry("krb_principal", "alice@EXAMPLE.TEST").containsEntry("sub",
                "alice@EXAMPLE.TEST").containsEntry("level", 3L).doesNotContainKeys("act", "may_act");
    }

    @Test
    void verifyWhenRs256AndEs384KeysThenAccepted() throws Exception {
        assertThat(verifier.verify(sign(rs256, claims().build()), TokenType.JWT, context("subject_token")).principal())
                .isEqualTo("alice@EXAMPLE.TEST");
        assertThat(verifier.verify(sign(es384, claims().build()), TokenType.JWT, context("subject_token")).principal())
                .isEqualTo("alice@EXAMPLE.TEST");
    }

    static Stream<Arguments> acceptedAudiences() {
        return Stream.of(Arguments.of(Named.of("client_id", List.of(CLIENT))),
                Arguments.of(Named.of("a registered audience of the client", List.of(CLIENT_AUDIENCE))),
                Arguments.of(Named.of("the tenant's issuer", List.of(ISSUER))),
                Arguments.of(Named.of("one of several", List.of("https://elsewhere.example.test", CLIENT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedAudiences")
    void verifyWhenAudienceNamesClientOrTenantThenAccepted(List<String> aud) throws Exception {
        String token = sign(es256, claims().audience(aud).build());
        assertThat(verifier.verify(token, TokenType.JWT, context("subject_token")).principal())
                .isEqualTo("alice@EXAMPLE.TEST");
    }

    /**
     * ECDSA malleability (JwsSignatures): the (r, n − s) twin of a tenant token verifies to the same subject, and once
     * its jti is revoked the twin is refused like the original: revocation keys on the jti, not on the token's bytes.
     */
    @Test
    void verifyWhenEcdsaTwinThenSameSubjectAndRevokedWithItsOriginal() throws Exception {
        String token = sign(es256, claims().jwtID("twin-jti").build());
        String twin = dev.kerbex.testing.EcdsaTwins.twin(token);
        assertThat(twin).isNotEqualTo(token);
        VerifiedSubject original = verifier.verify(token, TokenType.JWT, context("subject_token"));
        assertThat(verifier.verify(twin, TokenType.JWT, context("subject_token"))).isEqualTo(original);

        JwtSubjectVerifier revoking = new JwtSubjectVerifier(t -> acmeKeys, t -> "https://kerbex.test/tenants/" + t, clock,
                (t, jti) -> jti.equals("twin-jti"));
        assertRefused(() -> revoking.verify(token, TokenType.JWT, context("subject_token")),
                "subject_token: token has been revoked");
        assertRefused(() -> revoking.verify(twin, TokenType.JWT, context("subject_token")),
                "subject_token: token has been revoked");
    }

    @Test
    void verifyWhenNoScopeClaimThenEmptyScopeNotUnrestricted() throws Exception {
        assertThat(verifier.verify(sign(es256, claims().build()), TokenType.JWT, context("subject_token")).scopes())
                .isNotNull().isEmpty();
    }

    @Test
    void verifyWhenMayActIsArrayThenEverySubWithGlobCharactersEscaped() throws Exception {
        String token = sign(es256, claims().claim("may_act", List.of(Map.of("sub", "svc-a"), Map.of("sub", "svc-*?\\")))
                .build());
        assertThat(verifier.verify(token, TokenType.JWT, context("subject_token")).mayAct())
                .containsExactlyInAnyOrder("svc-a", "svc-\\*\\?\\\\");
    }

    @Test
    void verifyWhenNbfAndIatWithinLeewayThenAccepted() throws Exception {
        String token = sign(es256, claims().notBeforeTime(date(NOW.plusSeconds(60))).issueTime(date(NOW.plusSeconds(60)))
                .build());
        assertThat(verifier.verify(token, TokenType.JWT, context("subject_token"))).isNotNull();
    }

    @Test
    void verifyWhenKeyRotatedElsewhereThenReloadedAtMostOncePerSecond() throws Exception {
        ECKey fresh = new ECKeyGenerator(Curve.P_256).keyID("fresh-key").algorithm(JWSAlgorithm.ES256).generate();
        verifier.verify(sign(es256, claims().build()), TokenType.JWT, context("subject_token")); // keys now cached
        acmeKeys.add(fresh.toPublicJWK().toJSONString());
        String token = sign(fresh, claims().build());

        assertRefused(() -> verifier.verify(token, TokenType.JWT, context("subject_token")),
                "subject_token: JWT signing key is not one of this tenant's");
        clock.advance(Duration.ofSeconds(1));
        assertThat(verifier.verify(token, TokenType.JWT, context("subject_token")).principal())
                .isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenKeysCannotBeReadThenStoreUnavailable() throws Exception {
        JwtSubjectVerifier broken = new JwtSubjectVerifier(t -> {
            throw new IllegalStateException("connection refused");
        }, t -> ISSUER, clock);
        String token = sign(es256, claims().build());
        assertThatThrownBy(() -> broken.verify(token, TokenType.JWT, context("subject_token")))
                .isInstanceOf(StoreUnavailableException.class);
    }

    // ---------------------------------------------------------------- refused

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("longer than 16 KiB", t -> sign(es256, claims().claim("pad", "x".repeat(16_400)).build()),
                        "JWT exceeds 16384 characters"),
                refusal("not a JWT at all", t -> "not-a-jwt", "not a well-formed JWT"),
                refusal("three parts of garbage", t -> "abc.def.ghi", "not a well-formed JWT"),
                refusal("five parts (JWE shape)", t -> "a.b.c.d.e", "not a well-formed JWT"),
                refusal("payload not JSON", t -> signRaw(es256, Base64URL.encode("not json").toString()),
                        "not a well-formed JWT"),
                refusal("alg none", t -> new PlainJWT(claims().build()).serialize(), "JWT algorithm not allowed"),
                refusal("HS256 with the public key as secret", t -> hs256(claims().build()), "JWT algorithm not allowed"),
                refusal("signed by another tenant's key", t -> sign(globex, claims().build()),
                        "JWT signing key is not one of this tenant's"),
                refusal("no kid", t -> signWithHeader(es256, new JWSHeader.Builder(JWSAlgorithm.ES256).build(),
                        claims().build()), "JWT signing key is not one of this tenant's"),
                refusal("header alg differs from the key's", t -> signWithHeader(es384,
                        new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(es256.getKeyID()).build(), claims().build()),
                        "JWT algorithm does not match its key"),
                refusal("a DPoP proof's typ (RFC 8725 §3.11)", t -> signWithHeader(es256,
                        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(es256.getKeyID())
                                .type(new JOSEObjectType("dpop+jwt")).build(), claims().build()),
                        "JWT type not accepted"),
                refusal("no typ: not an access token of the tenant", t -> signWithHeader(es256,
                        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(es256.getKeyID()).build(), claims().build()),
                        "JWT type not accepted"),
                refusal("signed by an impostor key under a tenant kid", t -> signWithHeader(
                        impostor(),
                        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(es256.getKeyID()).build(), claims().build()),
                        "JWT signature invalid"),
                refusal("payload altered after signing", t -> {
                    String[] p = t.split("\\.");
                    String other = sign(es256, claims().subject("mallory@EXAMPLE.TEST").build()).split("\\.")[1];
                    return p[0] + "." + other + "." + p[2];
                }, "JWT signature invalid"),
                refusal("another issuer", t -> sign(es256, claims().issuer("https://idp.example.test").build()),
                        "JWT issuer is not trusted by this tenant"),
                refusal("another tenant's issuer", t -> sign(es256, claims().issuer("https://kerbex.test/tenants/globex")
                        .build()), "JWT issuer is not trusted by this tenant"),
                refusal("no issuer", t -> sign(es256, claims().issuer(null).build()),
                        "JWT issuer is not trusted by this tenant"),
                refusal("no exp", t -> sign(es256, claims().expirationTime(null).build()), "JWT has no exp"),
                refusal("expired", t -> sign(es256, claims().expirationTime(date(NOW.minusSeconds(1))).build()),
                        "JWT expired"),
                refusal("expiring this very second", t -> sign(es256, claims().expirationTime(date(NOW)).build()),
                        "JWT expired"),
                refusal("exp not a number", t -> sign(es256, claims().claim("exp", "tomorrow").build()),
                        "JWT exp claim is malformed"),
                refusal("nbf beyond the leeway", t -> sign(es256, claims().notBeforeTime(date(NOW.plusSeconds(61)))
                        .build()), "JWT not yet valid"),
                refusal("iat beyond the leeway", t -> sign(es256, claims().issueTime(date(NOW.plusSeconds(120))).build()),
                        "JWT issued in the future"),
                refusal("aud of another client", t -> sign(es256, claims().audience("billing").build()),
                        "token audience does not include this client"),
                refusal("aud of an API, not this client", t -> sign(es256, claims()
                        .audience("https://ledger.example.test").build()), "token audience does not include this client"),
                refusal("no aud", t -> sign(es256, claims().audience((String) null).build()),
                        "token audience does not include this client"),
                refusal("aud not strings", t -> signRaw(es256, Base64URL.encode(claims().audience((String) null).build()
                        .toString().replaceFirst("\\{", "{\"aud\":[1,2],")).toString()), "JWT aud claim is malformed"),
                refusal("no sub", t -> sign(es256, claims().subject(null).build()), "JWT has no sub"),
                refusal("scope not a string", t -> sign(es256, claims().claim("scope", List.of("a")).build()),
                        "JWT scope claim is malformed"),
                refusal("act not an object", t -> sign(es256, claims().claim("act", "svc").build()),
                        "JWT act claim is malformed"),
                refusal("act without sub", t -> sign(es256, claims().claim("act", Map.of("iss", ISSUER)).build()),
                        "JWT act claim is malformed"),
                refusal("may_act a string", t -> sign(es256, claims().claim("may_act", "svc").build()),
                        "JWT may_act claim is malformed"),
                refusal("may_act array with an entry without sub", t -> sign(es256, claims()
                        .claim("may_act", List.of(Map.of("sub", "a"), Map.of("iss", "b"))).build()),
                        "JWT may_act claim is malformed"),
                refusal("auth_time not a number", t -> sign(es256, claims().claim("auth_time", "yesterday").build()),
                        "JWT auth_time claim is malformed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void verifyWhenTokenUnacceptableThenInvalidRequestNamingTheCause(UnaryOperator<String> make, String cause) {
        String token = make.apply(sign(es256, claims().build()));
        for (String parameter : List.of("subject_token", "actor_token")) {
            OAuthException e = assertRefused(() -> verifier.verify(token, TokenType.JWT, context(parameter)),
                    parameter + ": " + cause);
            assertThat(e.detail()).startsWith(parameter + ": " + cause);
            if (token.length() > 20) {
                assertThat(e.detail()).doesNotContain(token.substring(token.length() - 20));
            }
        }
    }

    @Test
    void verifyWhenNoClientThenInvalidClient() throws Exception {
        String token = sign(es256, claims().build());
        OAuthException e = assertThrows(() -> verifier.verify(token, TokenType.JWT,
                new VerificationContext(tenant, null, "subject_token")));
        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo("client authentication: credentials required");
    }

    // ---------------------------------------------------------------- helpers

    /** Found by JwtFuzzTest: a claim whose value is JSON null made ownToken throw an NPE (a 500 from introspection). */
    @Test
    void ownTokenWhenAClaimIsNullThenActiveWithTheNullKept() throws Exception {
        org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"exp\":" + NOW.plusSeconds(300).getEpochSecond()
                + ",\"dept\":null}");
        jws.setAlgorithmHeaderValue("ES256");
        jws.setKeyIdHeaderValue("es256-key");
        jws.setHeader("typ", "at+jwt");
        jws.setKey(es256.toECPrivateKey());

        OwnToken own = verifier.ownToken("acme", jws.getCompactSerialization());

        assertThat(own.refusal()).isNull();
        assertThat(own.subject()).isEqualTo("alice");
        assertThat(own.claims()).containsEntry("dept", null);
    }

    VerificationContext context(String parameter) {
        return new VerificationContext(tenant, client, parameter);
    }

    static Arguments refusal(String name, UnaryOperator<String> make, String cause) {
        return Arguments.of(Named.of(name, make), cause);
    }

    static OAuthException assertRefused(Runnable call, String description) {
        OAuthException e = assertThrows(call);
        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_REQUEST);
        assertThat(e.description()).isEqualTo(description);
        return e;
    }

    static OAuthException assertThrows(Runnable call) {
        try {
            call.run();
        } catch (OAuthException e) {
            return e;
        }
        throw new AssertionError("expected an OAuthException");
    }

    /** A valid token of tenant acme for the client; tests change one thing. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice@EXAMPLE.TEST").audience(CLIENT_AUDIENCE)
                .expirationTime(date(NOW.plusSeconds(300))).issueTime(date(NOW.minusSeconds(10)))
                .notBeforeTime(date(NOW.minusSeconds(10))).jwtID("jti-1");
    }

    static Date date(Instant instant) {
        return Date.from(instant);
    }

    static String sign(JWK key, JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder((JWSAlgorithm) key.getAlgorithm()).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build();
        return signWithHeader(key, header, claims);
    }

    static String signWithHeader(JWK key, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed JWS whose payload is {@code payload} as given (not necessarily JSON). */
    static String signRaw(ECKey key, String payload) {
        try {
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), new com.nimbusds.jose.Payload(Base64URL.from(payload).decode()));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic confusion attack: HMAC keyed with the tenant's public key bytes. */
    static String hs256(JWTClaimsSet claims) {
        try {
            byte[] secret = es256.toPublicJWK().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(es256.getKeyID()).build(),
                    claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey impostor() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
