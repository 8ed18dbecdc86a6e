package dev.kerbex.endpoint;

import static dev.kerbex.testing.KerbexTestResource.BILLING;
import static dev.kerbex.testing.KerbexTestResource.BILLING_SECRET;
import static dev.kerbex.testing.KerbexTestResource.LEDGER;
import static dev.kerbex.testing.TokenRequests.ACCESS_TOKEN;
import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TicketForge;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forward path through HTTP: real KDC tickets, real PostgreSQL, tokens checked against the published JWKS. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class TokenExchangeTest {
    static final String ISSUER = "http://localhost:8080/tenants/acme";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void exchangeWhenGssKrb5TicketAndBasicClientThenReducedScopeJwt() throws Exception {
        Response r = aliceForLedger().billing().post();
        r.then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache");
        JsonPath body = r.jsonPath();
        assertThat(body.getString("issued_token_type")).isEqualTo(ACCESS_TOKEN);
        assertThat(body.getString("token_type")).isEqualTo("Bearer");
        assertThat(body.getInt("expires_in")).isEqualTo(600);
        assertThat(body.getString("scope")).isEqualTo("ledger:read");

        JWTClaimsSet claims = verify(body.getString("access_token"));
        assertThat(claims.getSubject()).isEqualTo(TestKdc.ALICE);
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(claims.getClaim("client_id")).isEqualTo(BILLING);
        assertThat(claims.getClaim("scope")).isEqualTo("ledger:read");
        assertThat(claims.getClaim("tenant")).isEqualTo("acme");
        assertThat(claims.getClaim("krb_principal")).isEqualTo(TestKdc.ALICE);
        assertThat(claims.getClaim("auth_time")).isNotNull();
        assertThat(claims.getClaim("dept")).isEqualTo("billing");
        assertThat(claims.getClaim("who")).isEqualTo(TestKdc.ALICE);

        Map<String, Object> audit = AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow();
        assertThat(audit).containsEntry("outcome", "issued").containsEntry("client_id", BILLING)
                .containsEntry("subject", TestKdc.ALICE).containsEntry("jti", claims.getJWTID())
                .containsEntry("scopes", "ledger:read").containsEntry("policy_revision", "1")
                .containsEntry("subject_token_type", AP_REQ);
        assertThat(audit.get("audiences").toString()).contains(LEDGER);
        assertThat(audit.get("policy_id")).isNotNull();
    }

    @Test
    void exchangeWhenSpnegoTokenAndClientSecretPostThenIssued() {
        exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceSpnegoBase64())
                .param("audience", LEDGER).param("client_id", BILLING).param("client_secret", BILLING_SECRET)
                .param("scope", "ledger:write ledger:admin")
                .post().then().statusCode(200)
                .body("scope", org.hamcrest.Matchers.equalTo("ledger:write"));
    }

    @Test
    void exchangeWhenRawApReqInBase64UrlThenIssued() {
        String service = TestKdc.SERVICE;
        byte[] raw = TicketForge.forService(service, TestKdc.SERVICE_PASSWORD).apReq();
        exchange().param("subject_token_type", AP_REQ)
                .param("subject_token", Base64.getUrlEncoder().withoutPadding().encodeToString(raw))
                .param("audience", LEDGER).billing()
                .post().then().statusCode(200);
    }

    @Test
    void exchangeWhenOasisAliasTypeThenIssued() {
        aliceForLedger().without("subject_token_type")
                .param("subject_token_type",
                        "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ")
                .billing().post().then().statusCode(200);
    }

    @Test
    void exchangeWhenNegotiateHeaderCarriesTicketThenIssued() {
        exchange().param("subject_token_type", AP_REQ).param("audience", LEDGER)
                .param("client_id", BILLING).param("client_secret", BILLING_SECRET)
                .authorization("Negotiate " + GssTokens.aliceSpnegoBase64())
                .post().then().statusCode(200).body("scope", org.hamcrest.Matchers.equalTo("ledger:read"));
    }

    @Test
    void exchangeWhenNoTicketAndNoNegotiateThenChallenge() {
        exchange().param("subject_token_type", AP_REQ).param("audience", LEDGER)
                .param("client_id", BILLING).param("client_secret", BILLING_SECRET)
                .post().then().statusCode(401)
                .header("WWW-Authenticate", "Negotiate")
                .header("Cache-Control", "no-store")
                .body("error", org.hamcrest.Matchers.equalTo("invalid_request"))
                .body("error_description", org.hamcrest.Matchers.equalTo(
                        "subject_token: missing; send it, or authenticate with Negotiate (SPNEGO)"));
    }

    @Test
    void exchangeWhenNoCredentialsAndTicketOfRegisteredPrincipalThenSelfExchange() throws Exception {
        String token = Base64.getEncoder().encodeToString(
                GssTokens.krb5(TestKdc.BILLING, TestKdc.BILLING_PASSWORD, TestKdc.SERVICE));
        Response r = exchange().param("subject_token_type", AP_REQ).param("subject_token", token)
                .param("audience", LEDGER).post();
        r.then().statusCode(200);
        JWTClaimsSet claims = verify(r.jsonPath().getString("access_token"));
        assertThat(claims.getClaim("client_id")).isEqualTo(BILLING);
        assertThat(claims.getSubject()).isEqualTo(TestKdc.BILLING);
    }

    @Test
    void exchangeWhenNoCredentialsAndPrincipalHasNoClientThenInvalidClient() {
        aliceForLedger().post().then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Basic"))
                .body("error", org.hamcrest.Matchers.equalTo("invalid_client"))
                .body("error_description", org.hamcrest.Matchers.equalTo(
                        "client authentication: no credentials, and no client is registered for the subject's Kerberos principal"));
    }

    @Test
    void exchangeWhenTicketIssuedThenNoTokenOrTicketInAuditTrail() {
        String subjectToken = GssTokens.aliceKrb5Base64();
        String accessToken = exchange().param("subject_token_type", AP_REQ).param("subject_token", subjectToken)
                .param("audience", LEDGER).billing().post().then().statusCode(200).extract().path("access_token");
        String trail = AuditRows.everything(dataSource);
        assertThat(trail).doesNotContain(subjectToken.substring(0, 40)).doesNotContain(accessToken.substring(0, 40))
                .doesNotContain(accessToken.split("\\.")[2]).doesNotContain(BILLING_SECRET);
    }

    @Test
    @SuppressWarnings("unchecked")
    void metadataWhenBothWellKnownFormsThenSameDocument() {
        Map<String, Object> inserted = given().get("/.well-known/oauth-authorization-server/tenants/acme")
                .then().statusCode(200).extract().jsonPath().getMap("");
        Map<String, Object> relative = given().get("/tenants/acme/.well-known/oauth-authorization-server")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(inserted).isEqualTo(relative);
        assertThat(inserted).containsEntry("issuer", ISSUER)
                .containsEntry("token_endpoint", ISSUER + "/oauth2/token")
                .containsEntry("jwks_uri", ISSUER + "/oauth2/jwks");
        assertThat((Iterable<Object>) inserted.get("grant_types_supported"))
                .containsExactly("urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat((Iterable<Object>) inserted.get("subject_token_types_supported")).contains(AP_REQ);
        assertThat((Iterable<Object>) inserted.get("token_endpoint_auth_methods_supported"))
                .contains("client_secret_basic", "client_secret_post");
    }

    @Test
    void discoveryWhenUnknownTenantThenNotFound() {
        given().get("/.well-known/oauth-authorization-server/tenants/nosuch").then().statusCode(404);
        given().get("/tenants/nosuch/oauth2/jwks").then().statusCode(404);
        aliceForLedger().billing().post("nosuch").then().statusCode(404)
                .contentType("application/problem+json").header("Cache-Control", "no-store");
    }

    /**
     * Verifies the token the way a resource server would, with Nimbus JOSE (not the jose4j that signed it):
     * keys from the JWKS endpoint, ES256 signature, {@code typ}, issuer and audience.
     */
    static JWTClaimsSet verify(String token) throws Exception {
        String jwks = given().get("/tenants/acme/oauth2/jwks").then().statusCode(200).extract().asString();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        ECKey key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey();
        assertThat(jwt.verify(new ECDSAVerifier(key))).as("ES256 signature under the published key").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly(LEDGER);
        assertThat(claims.getExpirationTime()).isInTheFuture();
        assertThat(claims.getJWTID()).isNotBlank();
        return claims;
    }
}
