package dev.kerbex.endpoint;

import static dev.kerbex.endpoint.TokenErrorsTest.assertError;
import static dev.kerbex.testing.ClientAssertions.CLIENT;
import static dev.kerbex.testing.ClientAssertions.KEY;
import static dev.kerbex.testing.ClientAssertions.TYPE;
import static dev.kerbex.testing.ClientAssertions.claims;
import static dev.kerbex.testing.ClientAssertions.sign;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.ClientAssertions;
import dev.kerbex.testing.IssuedTokenRequests;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TokenRequests;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2) through HTTP: the fixture's {@code keyed} client
 * registered only a public JWK Set; its assertions are signed with Nimbus JOSE.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class PrivateKeyJwtTest {
    @Inject
    AgroalDataSource dataSource;

    static io.restassured.specification.RequestSpecification as(String token) {
        return io.restassured.RestAssured.given().auth().oauth2(token).contentType("application/json");
    }

    static Response ledger(String assertion) {
        return aliceForLedger().param("client_assertion_type", TYPE).param("client_assertion", assertion).post();
    }

    @Test
    void exchangeWhenAssertionValidThenIssuedToTheClientAndJtiRecorded() throws Exception {
        JWTClaimsSet c = claims().build();
        Response r = ledger(sign(KEY, c));

        r.then().statusCode(200);
        assertThat(SignedJWT.parse(r.jsonPath().getString("access_token")).getJWTClaimsSet().getClaim("client_id"))
                .isEqualTo(CLIENT);
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("outcome", "issued").containsEntry("client_id", CLIENT);
        // kept until exp (whole seconds, as serialised) plus the 60 s of leeway
        assertThat(replayRowExpiresAt(c.getJWTID()))
                .isEqualTo(Instant.ofEpochSecond(c.getExpirationTime().getTime() / 1000).plusSeconds(60));
    }

    @Test
    void exchangeWhenAssertionReplayedThenInvalidClient() {
        String assertion = ClientAssertions.assertion();
        ledger(assertion).then().statusCode(200);

        Response replay = ledger(assertion);

        assertError(replay, 401, "invalid_client", "client_assertion: jti replayed");
        assertThat(AuditRows.byRequestId(dataSource, replay.header("X-Request-Id")).orElseThrow())
                .containsEntry("outcome", "refused").containsEntry("error", "invalid_client");
        assertThat(AuditRows.everything(dataSource)).doesNotContain(assertion.split("\\.")[2]);
        assertThat(replay.asString()).doesNotContain(assertion.split("\\.")[1]);
    }

    @Test
    void exchangeWhenAudienceIsTheIssuerThenAccepted() {
        ledger(sign(KEY, claims().audience("http://localhost:8080/tenants/acme").build())).then().statusCode(200);
    }

    @Test
    void exchangeWhenAssertionClaimsUnacceptableThenInvalidClientNamingTheCause() {
        Instant now = Instant.now();
        assertError(ledger(sign(KEY, claims().audience("https://elsewhere.example.test/token").build())), 401,
                "invalid_client", "client_assertion: aud does not name this authorization server");
        assertError(ledger(sign(KEY, claims().expirationTime(Date.from(now.minusSeconds(5))).build())), 401,
                "invalid_client", "client_assertion: expired");
        assertError(ledger(sign(KEY, claims().expirationTime(Date.from(now.plusSeconds(3600))).build())), 401,
                "invalid_client", "client_assertion: exp is more than 300s ahead");
        assertError(ledger(sign(KEY, claims().expirationTime(null).build())), 401, "invalid_client",
                "client_assertion: exp missing");
        assertError(ledger(sign(KEY, claims().jwtID(null).build())), 401, "invalid_client",
                "client_assertion: jti missing");
        assertError(ledger(sign(KEY, claims().issuer("someone-else").build())), 401, "invalid_client",
                "client_assertion: iss and sub must both be the client_id");
        assertError(ledger("not-a-jwt"), 401, "invalid_client", "client_assertion: not a well-formed JWT");
        assertError(ledger(numericAlg()), 401, "invalid_client", "client_assertion: not a well-formed JWT");
    }

    @Test
    void exchangeWhenSignerUnprovenThenOneDescriptionForEveryCause() throws Exception {
        ECKey other = ClientAssertions.generate(KEY.getKeyID());
        assertError(ledger(sign(other, claims().build())), 401, "invalid_client", "client authentication failed");
        assertError(ledger(sign(KEY, claims().issuer("nobody").subject("nobody").build())), 401, "invalid_client",
                "client authentication failed");
        // billing has a secret but registered no keys.
        assertError(ledger(sign(KEY, claims().issuer("billing").subject("billing").build())), 401, "invalid_client",
                "client authentication failed");
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims().build());
        hs.sign(new MACSigner(MessageDigest.getInstance("SHA-256").digest(KEY.toPublicJWK().toJSONString().getBytes())));
        assertError(ledger(hs.serialize()), 401, "invalid_client", "client_assertion: algorithm not allowed");
    }

    @Test
    void exchangeWhenTwoMethodsOrHalfAnAssertionThenRefused() {
        String assertion = ClientAssertions.assertion();
        assertError(aliceForLedger().param("client_assertion_type", TYPE).param("client_assertion", assertion)
                .billing().post(), 400, "invalid_request", "client authentication: more than one method used");
        assertError(aliceForLedger().param("client_assertion_type", TYPE).param("client_assertion", assertion)
                .param("client_id", CLIENT).param("client_secret", "some-secret-0123").post(), 400, "invalid_request",
                "client authentication: more than one method used");
        assertError(aliceForLedger().param("client_assertion", assertion).post(), 400, "invalid_request",
                "client_assertion_type: missing with client_assertion");
        assertError(aliceForLedger().param("client_assertion_type", "urn:example:other").param("client_assertion",
                assertion).post(), 401, "invalid_client",
                "client_assertion_type: only urn:ietf:params:oauth:client-assertion-type:jwt-bearer is supported");
        assertError(aliceForLedger().param("client_assertion_type", TYPE).param("client_assertion", assertion)
                .param("client_id", "billing").post(), 400, "invalid_request",
                "client_id: differs from the client assertion's sub");
    }

    @Test
    void introspectWhenAssertionForTheIntrospectionEndpointThenAuthenticated() {
        String token = ledger(ClientAssertions.assertion()).then().statusCode(200).extract().path("access_token");
        String assertion = sign(KEY, claims().audience("http://localhost:8080/tenants/acme/oauth2/introspect").build());

        Response r = io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("token", token).formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", assertion).post("/tenants/acme/oauth2/introspect");

        r.then().statusCode(200);
        assertThat(r.jsonPath().getBoolean("active")).isTrue();
        assertThat(r.jsonPath().getString("client_id")).isEqualTo(CLIENT);
    }

    @Test
    void adminWhenClientRegistersPublicKeysThenStoredAndShown() {
        String admin = AdminTokens.token("acme-admin", "tenant-admin:acme");
        String id = "kj-" + UUID.randomUUID().toString().substring(0, 8);
        ECKey key = ClientAssertions.generate("k1");

        Response created = as(admin).body("{\"client_id\": \"%s\", \"jwks\": %s}".formatted(id,
                "{\"keys\": [" + key.toPublicJWK().toJSONString() + "]}")).post("/admin/v1/tenants/acme/clients");

        created.then().statusCode(201);
        assertThat(created.jsonPath().getString("jwks.keys[0].kid")).isEqualTo("k1");
        assertThat(created.jsonPath().getString("jwks.keys[0].x")).isEqualTo(key.getX().toString());
    }

    @Test
    void adminWhenJwksHoldsAPrivateOrMalformedKeyThenRefusedNamingIt() {
        String admin = AdminTokens.token("acme-admin", "tenant-admin:acme");
        ECKey key = ClientAssertions.generate("k1");

        Response r = as(admin).body("{\"client_id\": \"kj-private\", \"jwks\": {\"keys\": [%s, {\"kty\": \"oct\", \"k\": \"AAAA\"}, {\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"AA\", \"y\": \"AA\"}]}}"
                .formatted(key.toJSONString())).post("/admin/v1/tenants/acme/clients");

        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getList("errors.pointer")).containsExactly("/jwks/keys/0/d", "/jwks/keys/1/k",
                "/jwks/keys/2");
        assertThat(r.asString()).doesNotContain(key.getD().toString());
        as(admin).get("/admin/v1/tenants/acme/clients/kj-private").then().statusCode(404);
    }

    /** A JWS whose header's alg is a number: jose4j would throw a ClassCastException reading it. */
    static String numericAlg() {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":5,\"kid\":[1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims().build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + ".AAAA";
    }

    private Instant replayRowExpiresAt(String jti) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String part : new String[] {"acme", CLIENT, jti}) {
            sha.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT expires_at FROM replay_entry WHERE kind = 'client_assertion' AND key_hash = ?")) {
            ps.setBytes(1, sha.digest());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("replay row").isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }
}
