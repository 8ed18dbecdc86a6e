package dev.kerbex.endpoint;

import static dev.kerbex.testing.KerbexTestResource.LEDGER;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import dev.kerbex.testing.IssuedTokenRequests;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.ManagementPort;
import dev.kerbex.testing.TokenRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Holds live responses against the hand-written openapi.yaml: every request and response below must be
 * valid under the document, or the test fails with the validator's report.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class OpenApiContractTest {
    static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(Path.of("openapi.yaml").toUri().toString()).build());

    private static RequestSpecification contract(TokenRequests request) {
        return request.spec().filter(CONTRACT);
    }

    @Test
    void tokenEndpointWhenIssuedThenMatchesContract() {
        contract(aliceForLedger().billing()).post("/tenants/acme/oauth2/token").then().statusCode(200);
    }

    @Test
    void tokenEndpointWhenAudienceRefusedThenMatchesContract() {
        contract(exchange().param("subject_token_type", TokenRequests.AP_REQ)
                .param("subject_token", dev.kerbex.testing.GssTokens.aliceKrb5Base64())
                .param("audience", "https://elsewhere.example.test").billing())
                .post("/tenants/acme/oauth2/token").then().statusCode(400);
    }

    @Test
    void tokenEndpointWhenWrongSecretThenMatchesContract() {
        contract(aliceForLedger().basic(KerbexTestResource.BILLING, "not-the-secret-at-all"))
                .post("/tenants/acme/oauth2/token").then().statusCode(401);
    }

    @Test
    void tokenEndpointWhenNegotiateNeededThenMatchesContract() {
        contract(exchange().param("subject_token_type", TokenRequests.AP_REQ).param("audience", LEDGER).billing())
                .post("/tenants/acme/oauth2/token").then().statusCode(401).header("WWW-Authenticate", "Negotiate");
    }

    @Test
    void tokenEndpointWhenUnknownTenantThenMatchesContract() {
        contract(aliceForLedger().billing()).post("/tenants/nosuch/oauth2/token").then().statusCode(404);
    }

    @Test
    void tokenEndpointWhenPrivateKeyJwtThenMatchesContract() {
        String assertion = dev.kerbex.testing.ClientAssertions.assertion();
        TokenRequests request = aliceForLedger().param("client_assertion_type", dev.kerbex.testing.ClientAssertions.TYPE)
                .param("client_assertion", assertion);
        contract(request).post("/tenants/acme/oauth2/token").then().statusCode(200);
        contract(aliceForLedger().param("client_assertion_type", dev.kerbex.testing.ClientAssertions.TYPE)
                .param("client_assertion", assertion)).post("/tenants/acme/oauth2/token").then().statusCode(401);
    }

    @Test
    void tokenEndpointWhenDpopThenMatchesContract() {
        String proof = DpopTest.proof(DpopTest.KEY, DpopTest.proofClaims().build());
        contract(aliceForLedger().billing()).header("DPoP", proof).post("/tenants/acme/oauth2/token").then()
                .statusCode(200).body("token_type", equalTo("DPoP"));
        contract(aliceForLedger().billing()).header("DPoP", proof).post("/tenants/acme/oauth2/token").then()
                .statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void introspectionWhenAnsweredThenMatchesContract() {
        String token = IntrospectionRevocationTest.ledgerToken();
        IssuedTokenRequests.form(KerbexTestResource.BILLING, KerbexTestResource.BILLING_SECRET, token).filter(CONTRACT)
                .post("/tenants/acme/oauth2/introspect").then().statusCode(200).body("active", equalTo(true));
        IssuedTokenRequests.form(KerbexTestResource.BILLING, KerbexTestResource.BILLING_SECRET, "not-a-token")
                .filter(CONTRACT).post("/tenants/acme/oauth2/introspect").then().statusCode(200)
                .body("active", equalTo(false));
        IssuedTokenRequests.form(null, null, token).filter(CONTRACT).post("/tenants/acme/oauth2/introspect")
                .then().statusCode(401);
        // a client_id that is not the Basic user's: invalid_request
        IssuedTokenRequests.form(KerbexTestResource.BILLING, KerbexTestResource.BILLING_SECRET, token, "client_id",
                KerbexTestResource.REPORTING).filter(CONTRACT).post("/tenants/acme/oauth2/introspect")
                .then().statusCode(400);
        IssuedTokenRequests.form(KerbexTestResource.BILLING, KerbexTestResource.BILLING_SECRET, token).filter(CONTRACT)
                .post("/tenants/nosuch/oauth2/introspect").then().statusCode(404);
    }

    @Test
    void revocationWhenAnsweredThenMatchesContract() {
        String token = IntrospectionRevocationTest.ledgerToken();
        IssuedTokenRequests.form(KerbexTestResource.REPORTING, KerbexTestResource.REPORTING_SECRET, token)
                .filter(CONTRACT).post("/tenants/acme/oauth2/revoke").then().statusCode(400);
        IssuedTokenRequests.form(KerbexTestResource.BILLING, "not-the-secret-at-all", token).filter(CONTRACT)
                .post("/tenants/acme/oauth2/revoke").then().statusCode(401);
        IssuedTokenRequests.form(KerbexTestResource.BILLING, KerbexTestResource.BILLING_SECRET, token).filter(CONTRACT)
                .post("/tenants/acme/oauth2/revoke").then().statusCode(200);
    }

    @Test
    void discoveryWhenReadThenMatchesContract() {
        given().filter(CONTRACT).get("/tenants/acme/oauth2/jwks").then().statusCode(200);
        given().filter(CONTRACT).get("/tenants/nosuch/oauth2/jwks").then().statusCode(404);
        given().filter(CONTRACT).get("/.well-known/oauth-authorization-server/tenants/acme").then().statusCode(200);
        given().filter(CONTRACT).get("/tenants/acme/.well-known/oauth-authorization-server").then().statusCode(200);
    }

    @Test
    void operationsWhenReadThenMatchContract() {
        // on the management interface, not the public port
        ManagementPort.given().filter(CONTRACT).get("/q/health/live").then().statusCode(200);
        ManagementPort.given().filter(CONTRACT).get("/q/health/ready").then().statusCode(200);
        ManagementPort.given().filter(CONTRACT).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void openApiDocumentWhenFetchedThenServedAsWritten() throws Exception {
        String served = given().filter(CONTRACT).get("/openapi.yaml").then().statusCode(200)
                .contentType("application/yaml").extract().asString();
        assertThat(served).isEqualTo(Files.readString(Path.of("openapi.yaml")));
    }
}
