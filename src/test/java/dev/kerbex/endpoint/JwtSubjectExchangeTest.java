package dev.kerbex.endpoint;

import static dev.kerbex.endpoint.TokenErrorsTest.assertError;
import static dev.kerbex.testing.KerbexTestResource.ARCHIVE;
import static dev.kerbex.testing.KerbexTestResource.ARCHIVE_API;
import static dev.kerbex.testing.KerbexTestResource.ARCHIVE_API_SECRET;
import static dev.kerbex.testing.KerbexTestResource.BILLING;
import static dev.kerbex.testing.KerbexTestResource.REPORTS;
import static dev.kerbex.testing.KerbexTestResource.REPORTS_API;
import static dev.kerbex.testing.KerbexTestResource.REPORTS_API_SECRET;
import static dev.kerbex.testing.KerbexTestResource.VAULT;
import static dev.kerbex.testing.TokenRequests.ACCESS_TOKEN;
import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.exchange;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.jwt.AccessTokenMinter;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestKdc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token-to-token exchange through HTTP (SPEC §3, §7, issue 5): Kerberos → JWT → narrower JWT, delegation with
 * nested {@code act}, {@code may_act}, and the refusals of JWT subject and actor tokens. Issued tokens are
 * checked with Nimbus JOSE against the published JWKS; tokens this test needs in shapes the service would
 * never issue (expired, another issuer, {@code may_act}) are signed with the tenant's own key through
 * {@link AccessTokenMinter}.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class JwtSubjectExchangeTest {
    static final String ISSUER = "http://localhost:8080/tenants/acme";
    static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    static final String ARCHIVER = "svc-archive/app.example.test@EXAMPLE.TEST";
    static final String ARCHIVER_PASSWORD = "archive-password";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AccessTokenMinter minter;

    @BeforeAll
    static void archiverPrincipal() {
        try {
            GssTokens.configureJdk().addPrincipal(ARCHIVER, ARCHIVER_PASSWORD);
        } catch (IllegalStateException alreadyThere) {
            // Another run in this JVM created it.
        }
    }

    // ---------------------------------------------------------------- downscoping

    @Test
    void chainWhenKerberosThenJwtThenNarrowerJwtThenScopeNeverWidens() throws Exception {
        Response first = aliceForReports("reports:read reports:write");
        first.then().statusCode(200);
        JWTClaimsSet t1 = verify(first.jsonPath().getString("access_token"), REPORTS);
        assertThat(t1.getClaim("scope")).isEqualTo("reports:read reports:write");
        assertThat(t1.getClaim("krb_principal")).isEqualTo(TestKdc.ALICE);

        // Asking for more than the subject token holds yields only the intersection.
        Response second = reportsApi(first.jsonPath().getString("access_token"), ARCHIVE)
                .param("scope", "reports:read reports:export archive:write").post();
        second.then().statusCode(200).header("Cache-Control", "no-store");
        assertThat(second.jsonPath().getString("scope")).isEqualTo("reports:read");
        assertThat(second.jsonPath().getString("issued_token_type")).isEqualTo(ACCESS_TOKEN);
        JWTClaimsSet t2 = verify(second.jsonPath().getString("access_token"), ARCHIVE);
        assertThat(t2.getSubject()).isEqualTo(TestKdc.ALICE);
        assertThat(t2.getClaim("scope")).isEqualTo("reports:read");
        assertThat(t2.getClaim("client_id")).isEqualTo(REPORTS_API);
        assertThat(t2.getClaim("krb_principal")).as("kept along the chain").isEqualTo(TestKdc.ALICE);
        assertThat(t2.getClaim("origin")).as("template over the subject's claims").isEqualTo(TestKdc.ALICE);
        assertThat(t2.getClaim("act")).isNull();
        assertThat(t2.getExpirationTime()).isBeforeOrEqualTo(t1.getExpirationTime());
        assertThat(second.jsonPath().getInt("expires_in")).isLessThanOrEqualTo(300);

        Map<String, Object> audit = AuditRows.byRequestId(dataSource, second.header("X-Request-Id")).orElseThrow();
        assertThat(audit).containsEntry("outcome", "issued").containsEntry("client_id", REPORTS_API)
                .containsEntry("subject", TestKdc.ALICE).containsEntry("subject_token_type", ACCESS_TOKEN)
                .containsEntry("scopes", "reports:read");
    }

    @Test
    void exchangeWhenOnlyScopesOutsideTheSubjectTokenThenInvalidScope() {
        String t1 = aliceForReports("reports:read").jsonPath().getString("access_token");

        // archive:write is allowed by the policy, reports:write is in neither: the subject token holds only reports:read.
        Response r = reportsApi(t1, ARCHIVE).param("scope", "archive:write reports:write").post();

        assertError(r, 400, "invalid_scope", "scope: none of the requested scopes can be granted");
    }

    @Test
    void exchangeWhenNoScopeRequestedThenPolicyDefaultWithinTheSubjectScope() {
        String t1 = aliceForReports("reports:read reports:write").jsonPath().getString("access_token");

        // Also as urn:ietf:params:oauth:token-type:jwt, the other JWT subject type.
        reportsApi(t1, ARCHIVE).without("subject_token_type").param("subject_token_type", JWT).post()
                .then().statusCode(200).body("scope", org.hamcrest.Matchers.equalTo("reports:read"));
    }

    // ---------------------------------------------------------------- delegation

    @Test
    @SuppressWarnings("unchecked")
    void delegationWhenTwoHopsThenActChainNestedNeverDropped() throws Exception {
        String t1 = aliceForReports("reports:read reports:write").jsonPath().getString("access_token");
        String actor1 = billingServiceToken();

        Response second = reportsApi(t1, ARCHIVE).param("actor_token", actor1).param("actor_token_type", ACCESS_TOKEN)
                .post();
        second.then().statusCode(200);
        assertThat(second.jsonPath().getString("scope")).isEqualTo("reports:read");
        String t2 = second.jsonPath().getString("access_token");
        JWTClaimsSet c2 = verify(t2, ARCHIVE);
        assertThat(c2.getSubject()).isEqualTo(TestKdc.ALICE);
        assertThat(c2.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", TestKdc.BILLING, "iss", ISSUER));

        // The second hop: another API, another actor (this time a Kerberos AP-REQ); the first actor stays inside.
        Response third = exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", t2)
                .param("actor_token_type", AP_REQ).param("actor_token", archiverApReq())
                .param("audience", VAULT).basic(ARCHIVE_API, ARCHIVE_API_SECRET).post();
        third.then().statusCode(200);
        JWTClaimsSet c3 = verify(third.jsonPath().getString("access_token"), VAULT);
        assertThat(c3.getSubject()).isEqualTo(TestKdc.ALICE);
        assertThat(c3.getClaim("scope")).isEqualTo("reports:read");
        assertThat(c3.getJSONObjectClaim("act"))
                .isEqualTo(Map.of("sub", ARCHIVER, "act", Map.of("sub", TestKdc.BILLING, "iss", ISSUER)));
    }

    @Test
    void delegationWhenNoActorWherePolicyGrantsOnlyDelegationThenRefused() {
        // carol, not alice: the fixture's payroll policy lets any client impersonate alice (for payroll only).
        String subject = mint(claims(ARCHIVE).with("sub", "carol@EXAMPLE.TEST"));

        // archive-api may exchange for the vault only as a delegate: impersonation is a distinct right.
        Response impersonation = exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", subject)
                .param("audience", VAULT).basic(ARCHIVE_API, ARCHIVE_API_SECRET).post();
        assertError(impersonation, 400, "invalid_request", "subject_token: no policy permits this exchange");

        exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", subject)
                .param("actor_token_type", AP_REQ).param("actor_token", archiverApReq())
                .param("audience", VAULT).basic(ARCHIVE_API, ARCHIVE_API_SECRET).post().then().statusCode(200);
    }

    @Test
    void delegationWhenActorNotNamedByPolicyThenRefused() {
        String t1 = aliceForReports("reports:read").jsonPath().getString("access_token");

        Response r = reportsApi(t1, ARCHIVE).param("actor_token_type", AP_REQ)
                .param("actor_token", GssTokens.aliceKrb5Base64()).post();

        assertError(r, 400, "invalid_request", "subject_token: no policy permits this exchange");
    }

    @Test
    @SuppressWarnings("unchecked")
    void delegationWhenMayActNamesTheActorThenIssued() throws Exception {
        String subject = mint(claims(REPORTS).with("may_act", Map.of("sub", TestKdc.BILLING)));

        Response r = reportsApi(subject, ARCHIVE).param("actor_token", billingServiceToken())
                .param("actor_token_type", ACCESS_TOKEN).post();

        r.then().statusCode(200);
        assertThat(verify(r.jsonPath().getString("access_token"), ARCHIVE).getJSONObjectClaim("act"))
                .containsEntry("sub", TestKdc.BILLING);
    }

    @Test
    void delegationWhenMayActNamesAnotherActorThenRefused() {
        String subject = mint(claims(REPORTS).with("may_act", List.of(Map.of("sub", "svc-billing/*@EXAMPLE.TEST"),
                Map.of("sub", ARCHIVER))));

        // The glob characters of may_act are literal: svc-billing/* is not a pattern here.
        Response r = reportsApi(subject, ARCHIVE).param("actor_token", billingServiceToken())
                .param("actor_token_type", ACCESS_TOKEN).post();

        assertError(r, 400, "invalid_request", "actor_token: not permitted by the subject token's may_act");
    }

    // ---------------------------------------------------------------- refusals of JWT subject and actor tokens

    @Test
    void exchangeWhenSubjectTokenMintedForAnotherClientThenRefused() {
        String t1 = aliceForReports("reports:read").jsonPath().getString("access_token");

        // t1's aud is the reports API; archive-api is not it.
        Response r = exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", t1)
                .param("audience", VAULT).basic(ARCHIVE_API, ARCHIVE_API_SECRET).post();

        assertError(r, 400, "invalid_request", "subject_token: token audience does not include this client");
        assertThat(refusalReason(r)).startsWith("subject_token: token audience does not include this client: aud ["
                + REPORTS + "]");
    }

    @Test
    void exchangeWhenActorTokenMintedForAnotherClientThenRefused() {
        String subject = mint(claims(ARCHIVE));

        Response r = exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", subject)
                .param("actor_token_type", ACCESS_TOKEN).param("actor_token", billingServiceToken())
                .param("audience", VAULT).basic(ARCHIVE_API, ARCHIVE_API_SECRET).post();

        assertError(r, 400, "invalid_request", "actor_token: token audience does not include this client");
    }

    @Test
    void exchangeWhenTokenOfAnotherTenantThenRefused() {
        // Signed with globex's key, claiming to be acme's: the key is not one of acme's.
        Map<String, Object> claims = claims(REPORTS);
        String globexToken = minter.sign(KerbexTestResource.OTHER_TENANT, claims);

        assertError(reportsApi(globexToken, ARCHIVE).post(), 400, "invalid_request",
                "subject_token: JWT signing key is not one of this tenant's");
    }

    @Test
    void exchangeWhenIssuerIsAnotherTenantThenRefused() {
        String token = mint(claims(REPORTS).with("iss", "http://localhost:8080/tenants/globex"));

        assertError(reportsApi(token, ARCHIVE).post(), 400, "invalid_request",
                "subject_token: JWT issuer is not trusted by this tenant");
    }

    @Test
    void exchangeWhenSubjectTokenExpiredThenRefused() {
        long past = Instant.now().minusSeconds(30).getEpochSecond();
        String token = mint(claims(REPORTS).with("exp", past).with("iat", past - 300).with("nbf", past - 300));

        Response r = reportsApi(token, ARCHIVE).post();

        assertError(r, 400, "invalid_request", "subject_token: JWT expired");
        assertThat(refusalReason(r)).startsWith("subject_token: JWT expired: exp ");
    }

    @Test
    void exchangeWhenAlgNoneThenRefused() {
        String token = new PlainJWT(nimbusClaims(REPORTS)).serialize();

        assertError(reportsApi(token, ARCHIVE).post(), 400, "invalid_request", "subject_token: JWT algorithm not allowed");
    }

    @Test
    void exchangeWhenHs256KeyedWithThePublishedKeyThenRefused() throws Exception {
        String jwks = given().get("/tenants/acme/oauth2/jwks").then().statusCode(200).extract().asString();
        ECKey key = (ECKey) JWKSet.parse(jwks).getKeys().get(0);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                nimbusClaims(REPORTS));
        jwt.sign(new MACSigner(key.toJSONString().getBytes(StandardCharsets.UTF_8)));

        assertError(reportsApi(jwt.serialize(), ARCHIVE).post(), 400, "invalid_request",
                "subject_token: JWT algorithm not allowed");
    }

    @Test
    void exchangeWhenSignatureAlteredThenRefused() {
        String t1 = aliceForReports("reports:read").jsonPath().getString("access_token");
        String[] parts = t1.split("\\.");
        String forged = mint(claims(REPORTS).with("scope", "reports:read reports:write reports:export")).split("\\.")[1];

        assertError(reportsApi(parts[0] + "." + forged + "." + parts[2], ARCHIVE).post(), 400, "invalid_request",
                "subject_token: JWT signature invalid");
    }

    @Test
    void exchangeWhenNotAJwtThenRefused() {
        assertError(reportsApi("not-a-jwt", ARCHIVE).post(), 400, "invalid_request", "subject_token: not a well-formed JWT");
        // jose4j casts header members to String: {"alg": 5} must be a refusal, not a 500.
        assertError(reportsApi(PrivateKeyJwtTest.numericAlg(), ARCHIVE).post(), 400, "invalid_request",
                "subject_token: not a well-formed JWT");
    }

    @Test
    void exchangeWhenJwtSubjectWithoutClientCredentialsThenInvalidClient() {
        String t1 = aliceForReports("reports:read").jsonPath().getString("access_token");

        Response r = exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", t1)
                .param("audience", ARCHIVE).post();

        assertError(r, 401, "invalid_client", "client authentication: credentials required");
    }

    @Test
    void exchangeWhenJwtIssuedThenNoTokenInAuditTrail() {
        String t1 = aliceForReports("reports:read").jsonPath().getString("access_token");
        String t2 = reportsApi(t1, ARCHIVE).post().then().statusCode(200).extract().path("access_token");

        assertThat(AuditRows.everything(dataSource)).doesNotContain(t1.split("\\.")[2]).doesNotContain(t2.split("\\.")[2]);
    }

    @Test
    @SuppressWarnings("unchecked")
    void metadataWhenJwtVerifierRegisteredThenJwtTypesAdvertised() {
        Map<String, Object> m = given().get("/.well-known/oauth-authorization-server/tenants/acme")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat((Iterable<Object>) m.get("subject_token_types_supported")).contains(AP_REQ, JWT, ACCESS_TOKEN);
        assertThat((Iterable<Object>) m.get("actor_token_types_supported")).contains(AP_REQ, JWT, ACCESS_TOKEN);
    }

    // ---------------------------------------------------------------- helpers

    /** Hop one: billing exchanges alice's Kerberos ticket for a token for the reports API. */
    static Response aliceForReports(String scope) {
        return exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", REPORTS).param("scope", scope).billing().post();
    }

    /** svc-billing's own token for the reports API (Kerberos self-exchange): the actor of the delegation tests. */
    static String billingServiceToken() {
        String ticket = Base64.getEncoder().encodeToString(
                GssTokens.krb5(TestKdc.BILLING, TestKdc.BILLING_PASSWORD, TestKdc.SERVICE));
        Response r = exchange().param("subject_token_type", AP_REQ).param("subject_token", ticket)
                .param("audience", REPORTS).post();
        r.then().statusCode(200);
        return r.jsonPath().getString("access_token");
    }

    static String archiverApReq() {
        return Base64.getEncoder().encodeToString(GssTokens.krb5(ARCHIVER, ARCHIVER_PASSWORD, TestKdc.SERVICE));
    }

    /** reports-api exchanging {@code subjectToken} for {@code audience}. */
    static dev.kerbex.testing.TokenRequests reportsApi(String subjectToken, String audience) {
        return exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", subjectToken)
                .param("audience", audience).basic(REPORTS_API, REPORTS_API_SECRET);
    }

    String mint(Claims claims) {
        return minter.sign(KerbexTestResource.TENANT, claims);
    }

    /** The claims of a token acme would issue to billing for alice, for {@code aud}; tests change one thing. */
    static Claims claims(String aud) {
        long now = Instant.now().getEpochSecond();
        Claims c = new Claims();
        c.put("iss", ISSUER);
        c.put("sub", TestKdc.ALICE);
        c.put("aud", aud);
        c.put("exp", now + 300);
        c.put("iat", now);
        c.put("nbf", now);
        c.put("jti", UUID.randomUUID().toString());
        c.put("client_id", BILLING);
        c.put("scope", "reports:read");
        c.put("tenant", KerbexTestResource.TENANT);
        c.put("krb_principal", TestKdc.ALICE);
        return c;
    }

    static JWTClaimsSet nimbusClaims(String aud) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims(aud).forEach(b::claim);
        return b.build();
    }

    String refusalReason(Response r) {
        Map<String, Object> row = AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "refused");
        return (String) row.get("reason");
    }

    /** Verifies an issued token as a resource server would, with Nimbus JOSE and the published JWKS. */
    static JWTClaimsSet verify(String token, String audience) throws Exception {
        String jwks = given().get("/tenants/acme/oauth2/jwks").then().statusCode(200).extract().asString();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        ECKey key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey();
        assertThat(jwt.verify(new ECDSAVerifier(key))).as("signature under the published key").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly(audience);
        assertThat(claims.getExpirationTime()).isInTheFuture();
        return claims;
    }

    /** A claims map with a fluent {@code with}. */
    static final class Claims extends LinkedHashMap<String, Object> {
        Claims with(String name, Object value) {
            put(name, value);
            return this;
        }
    }
}
