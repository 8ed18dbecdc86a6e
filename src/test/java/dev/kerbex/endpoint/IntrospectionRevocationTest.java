package dev.kerbex.endpoint;

import static dev.kerbex.endpoint.TokenErrorsTest.assertError;
import static dev.kerbex.testing.KerbexTestResource.ARCHIVE;
import static dev.kerbex.testing.KerbexTestResource.BILLING;
import static dev.kerbex.testing.KerbexTestResource.BILLING_SECRET;
import static dev.kerbex.testing.KerbexTestResource.LEDGER;
import static dev.kerbex.testing.KerbexTestResource.REPORTING;
import static dev.kerbex.testing.KerbexTestResource.REPORTING_SECRET;
import static dev.kerbex.testing.KerbexTestResource.REPORTS;
import static dev.kerbex.testing.KerbexTestResource.REPORTS_API;
import static dev.kerbex.testing.KerbexTestResource.REPORTS_API_SECRET;
import static dev.kerbex.testing.TokenRequests.ACCESS_TOKEN;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.jwt.AccessTokenMinter;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.IssuedTokenRequests;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestKdc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Introspection (RFC 7662) and revocation (RFC 7009) through HTTP: who may see or revoke what, the answers for
 * anything that is not a live token of the tenant, the revocation rows, the audit trail, and revoked tokens
 * refused by the token endpoint.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class IntrospectionRevocationTest {
    static final String ISSUER = "http://localhost:8080/tenants/acme";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AccessTokenMinter minter;

    // ---------------------------------------------------------------- introspection

    @Test
    void introspectWhenTokenIssuedToTheClientThenActiveWithItsClaims() throws Exception {
        String token = ledgerToken();
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();

        Response r = IssuedTokenRequests.introspect(BILLING, BILLING_SECRET, token);

        r.then().statusCode(200).header("Cache-Control", "no-store").contentType("application/json");
        Map<String, Object> body = r.jsonPath().getMap("");
        assertThat(body).containsEntry("active", true).containsEntry("client_id", BILLING)
                .containsEntry("sub", TestKdc.ALICE).containsEntry("aud", LEDGER).containsEntry("iss", ISSUER)
                .containsEntry("scope", "ledger:read").containsEntry("jti", jti).containsEntry("token_type", "Bearer")
                .containsEntry("krb_principal", TestKdc.ALICE).containsEntry("tenant", "acme")
                .containsKeys("exp", "iat", "nbf");
        Map<String, Object> audit = AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow();
        assertThat(audit).containsEntry("kind", "introspection").containsEntry("outcome", "success")
                .containsEntry("client_id", BILLING).containsEntry("subject", TestKdc.ALICE)
                .containsEntry("jti", jti).containsEntry("reason", "active");
    }

    @Test
    void introspectWhenTokenMintedForTheClientsAudienceThenActive() {
        // billing's token for the reports API: reports-api registered that audience.
        String token = JwtSubjectExchangeTest.aliceForReports("reports:read").jsonPath().getString("access_token");

        Response r = IssuedTokenRequests.introspect(REPORTS_API, REPORTS_API_SECRET, token);

        r.then().statusCode(200);
        assertThat(r.jsonPath().getBoolean("active")).isTrue();
        assertThat(r.jsonPath().getString("aud")).isEqualTo(REPORTS);
    }

    @Test
    void introspectWhenTokenNeitherIssuedToNorMintedForTheClientThenInactive() {
        Response r = IssuedTokenRequests.introspect(REPORTING, REPORTING_SECRET, ledgerToken());

        r.then().statusCode(200).header("Cache-Control", "no-store");
        assertThat(r.jsonPath().getMap("")).isEqualTo(Map.of("active", false));
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow().get("reason"))
                .isEqualTo("inactive: token neither issued to nor minted for client " + REPORTING);
    }

    @Test
    void introspectWhenNotALiveTokenOfTheTenantThenInactive() {
        long past = Instant.now().minusSeconds(30).getEpochSecond();
        Map<String, Object> expired = claims();
        expired.put("exp", past);
        expired.put("iat", past - 60);
        expired.put("nbf", past - 60);
        Map<String, Object> otherIssuer = claims();
        otherIssuer.put("iss", "http://localhost:8080/tenants/globex");
        String ledger = ledgerToken();
        String[] parts = ledger.split("\\.");

        for (String token : List.of("not-a-token", PrivateKeyJwtTest.numericAlg(), minter.sign("acme", expired),
                minter.sign("acme", otherIssuer),
                minter.sign("globex", claims()), parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20) + "AAAA")) {
            Response r = IssuedTokenRequests.introspect(BILLING, BILLING_SECRET, token);
            r.then().statusCode(200).header("Cache-Control", "no-store");
            assertThat(r.jsonPath().getMap("")).as(token).isEqualTo(Map.of("active", false));
        }
    }

    @Test
    void introspectWhenNoCredentialsThenInvalidClient() {
        Response r = IssuedTokenRequests.introspect(null, null, ledgerToken());

        assertError(r, 401, "invalid_client", "client authentication: credentials required");
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("kind", "introspection").containsEntry("outcome", "refused")
                .containsEntry("error", "invalid_client");
    }

    @Test
    void introspectWhenWrongSecretThenInvalidClient() {
        assertError(IssuedTokenRequests.introspect(BILLING, "not-the-secret-at-all", ledgerToken()), 401,
                "invalid_client", "client authentication failed");
    }

    @Test
    void introspectWhenTokenMissingOrRepeatedThenInvalidRequest() {
        assertError(given().contentType("application/x-www-form-urlencoded").formParam("token_type_hint", "access_token")
                .auth().preemptive().basic(BILLING, BILLING_SECRET).post("/tenants/acme/oauth2/introspect"),
                400, "invalid_request", "token: missing");
        assertError(given().contentType("application/x-www-form-urlencoded").body("token=a&token=b")
                .auth().preemptive().basic(BILLING, BILLING_SECRET).post("/tenants/acme/oauth2/introspect"),
                400, "invalid_request", "token: repeated parameter");
        assertError(given().contentType("application/json").body("{\"token\":\"x\"}")
                .auth().preemptive().basic(BILLING, BILLING_SECRET).post("/tenants/acme/oauth2/introspect"),
                400, "invalid_request", "request body: must be application/x-www-form-urlencoded");
    }

    @Test
    void introspectWhenUnknownTenantThenNotFound() {
        given().contentType("application/x-www-form-urlencoded").formParam("token", "x")
                .auth().preemptive().basic(BILLING, BILLING_SECRET).post("/tenants/nosuch/oauth2/introspect")
                .then().statusCode(404).contentType("application/problem+json").header("Cache-Control", "no-store");
    }

    // ---------------------------------------------------------------- revocation

    @Test
    void revokeWhenOwnTokenThenStoredInactiveAndRefusedAsSubject() throws Exception {
        String token = JwtSubjectExchangeTest.aliceForReports("reports:read").jsonPath().getString("access_token");
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        reportsApi(token).post().then().statusCode(200);

        Response r = IssuedTokenRequests.form(BILLING, BILLING_SECRET, token, "token_type_hint", "access_token")
                .post("/tenants/acme/oauth2/revoke");

        r.then().statusCode(200).header("Cache-Control", "no-store");
        assertThat(r.asString()).isEmpty();
        assertThat(IssuedTokenRequests.revokedRow(dataSource, claims.getJWTID()).orElseThrow())
                .containsEntry("client_id", BILLING)
                .containsEntry("expires_at", claims.getExpirationTime().toInstant());
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("kind", "revocation").containsEntry("outcome", "success")
                .containsEntry("client_id", BILLING).containsEntry("subject", TestKdc.ALICE)
                .containsEntry("jti", claims.getJWTID()).containsEntry("reason", "revoked");

        assertThat(IssuedTokenRequests.introspect(REPORTS_API, REPORTS_API_SECRET, token).jsonPath().getMap(""))
                .isEqualTo(Map.of("active", false));
        Response exchanged = reportsApi(token).post();
        assertError(exchanged, 400, "invalid_request", "subject_token: token has been revoked");
        // Operators find it in the admin API's trail by its kind.
        assertThat(given().auth().oauth2(dev.kerbex.testing.AdminTokens.token("acme-viewer", "tenant-viewer:acme"))
                .get("/admin/v1/tenants/acme/audit-events?kind=revocation&client_id=billing&limit=500")
                .then().statusCode(200).extract().jsonPath().getList("events.request_id"))
                .contains(r.header("X-Request-Id"));
        // Revoking again is no error (RFC 7009 §2.2).
        IssuedTokenRequests.revoke(BILLING, BILLING_SECRET, token).then().statusCode(200);
        assertThat(AuditRows.everything(dataSource)).doesNotContain(token.split("\\.")[2]);
    }

    @Test
    void revokeWhenActorTokenRevokedThenDelegationRefused() {
        String subject = JwtSubjectExchangeTest.aliceForReports("reports:read").jsonPath().getString("access_token");
        String actor = JwtSubjectExchangeTest.billingServiceToken();
        IssuedTokenRequests.revoke(BILLING, BILLING_SECRET, actor).then().statusCode(200);

        Response r = reportsApi(subject).param("actor_token", actor).param("actor_token_type", ACCESS_TOKEN).post();

        assertError(r, 400, "invalid_request", "actor_token: token has been revoked");
    }

    @Test
    void revokeWhenTokenIssuedToAnotherClientThenUnauthorizedClientAndNothingRevoked() throws Exception {
        String token = ledgerToken();
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();

        Response r = IssuedTokenRequests.revoke(REPORTING, REPORTING_SECRET, token);

        assertError(r, 400, "unauthorized_client", "token: was not issued to this client");
        assertThat(IssuedTokenRequests.revokedRow(dataSource, jti)).isEmpty();
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("kind", "revocation").containsEntry("outcome", "refused")
                .containsEntry("error", "unauthorized_client").containsEntry("jti", jti);
        assertThat(IssuedTokenRequests.introspect(BILLING, BILLING_SECRET, token).jsonPath().getBoolean("active")).isTrue();
    }

    @Test
    void revokeWhenNotATokenOfTheTenantThenOkWithoutEffect() {
        String globex = minter.sign("globex", claims());

        for (String token : List.of("not-a-token", globex)) {
            Response r = IssuedTokenRequests.revoke(BILLING, BILLING_SECRET, token);
            r.then().statusCode(200).header("Cache-Control", "no-store");
            assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                    .containsEntry("outcome", "success");
            assertThat((String) AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow().get("reason"))
                    .startsWith("no effect: ");
        }
        assertThat(IssuedTokenRequests.revokedRow(dataSource, (String) claims().get("jti"))).isEmpty();
    }

    @Test
    void revokeWhenNoCredentialsThenInvalidClient() {
        Response r = IssuedTokenRequests.revoke(null, null, ledgerToken());

        assertError(r, 401, "invalid_client", "client authentication: credentials required");
        assertThat(AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow())
                .containsEntry("kind", "revocation").containsEntry("outcome", "refused");
    }

    @Test
    void revokeWhenSecretInBodyThenAccepted() throws Exception {
        String token = ledgerToken();

        given().contentType("application/x-www-form-urlencoded").formParam("token", token)
                .formParam("client_id", BILLING).formParam("client_secret", BILLING_SECRET)
                .post("/tenants/acme/oauth2/revoke").then().statusCode(200);

        assertThat(IssuedTokenRequests.revokedRow(dataSource, SignedJWT.parse(token).getJWTClaimsSet().getJWTID()))
                .isPresent();
    }

    // ---------------------------------------------------------------- helpers

    static String ledgerToken() {
        Response r = aliceForLedger().billing().post();
        r.then().statusCode(200);
        return r.jsonPath().getString("access_token");
    }

    static dev.kerbex.testing.TokenRequests reportsApi(String subjectToken) {
        return exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", subjectToken)
                .param("audience", ARCHIVE).basic(REPORTS_API, REPORTS_API_SECRET);
    }

    static Map<String, Object> claims() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("sub", TestKdc.ALICE);
        c.put("aud", LEDGER);
        c.put("exp", now + 300);
        c.put("iat", now);
        c.put("nbf", now);
        c.put("jti", UUID.randomUUID().toString());
        c.put("client_id", BILLING);
        c.put("scope", "ledger:read");
        return c;
    }
}
