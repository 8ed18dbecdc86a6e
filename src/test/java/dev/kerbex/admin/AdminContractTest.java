package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.ANY_POLICY;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Holds live admin API responses, successes and problems, against the hand-written openapi.yaml. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminContractTest {
    static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(Path.of("openapi.yaml").toUri().toString()).build());

    /** For deliberately invalid requests: only the response is held against the document. */
    static final OpenApiValidationFilter RESPONSES = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(Path.of("openapi.yaml").toUri().toString())
                    .withLevelResolver(LevelResolver.create().withLevel("validation.request", ValidationReport.Level.IGNORE)
                            .build())
                    .build());

    static RequestSpecification invalid(String token) {
        return given().filter(RESPONSES).header("Authorization", "Bearer " + token).contentType("application/json");
    }

    static RequestSpecification as(String token) {
        return given().filter(CONTRACT).header("Authorization", "Bearer " + token).contentType("application/json");
    }

    @Test
    void tenantsWhenCreatedReadAndUpdatedThenMatchContract() {
        String admin = AdminTokens.admin();
        String t = "ctr-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(201);
        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(409);
        as(admin).get("/admin/v1/tenants").then().statusCode(200);
        as(admin).get("/admin/v1/tenants/" + t).then().statusCode(200);
        invalid(admin).body("{\"realms\": []}").header("If-Match", "\"0\"").put("/admin/v1/tenants/" + t).then().statusCode(400);
        as(admin).body("{\"realms\": [\"EXAMPLE.TEST\"]}").put("/admin/v1/tenants/" + t).then().statusCode(428);
        as(admin).body("{\"realms\": [\"EXAMPLE.TEST\"]}").header("If-Match", "\"9\"").put("/admin/v1/tenants/" + t)
                .then().statusCode(412);
        as(admin).body("{\"realms\": [\"EXAMPLE.TEST\"]}").header("If-Match", "\"0\"").put("/admin/v1/tenants/" + t)
                .then().statusCode(200);
        as(AdminTokens.token("acme-admin", "tenant-admin:acme")).get("/admin/v1/tenants/" + t).then().statusCode(404);
        given().get("/admin/v1/tenants").then().statusCode(401); // no security parameters: outside the contract by definition
    }

    @Test
    void policiesWhenFullLifecycleThenMatchContract() {
        String admin = AdminTokens.admin();
        String t = "ctr-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(201);
        String base = "/admin/v1/tenants/" + t + "/policies";
        Response created = as(admin).body(ANY_POLICY.formatted("p1")).post(base);
        created.then().statusCode(201);
        String path = base + "/" + created.jsonPath().getString("id");
        as(admin).get(base).then().statusCode(200);
        as(admin).get(path).then().statusCode(200);
        invalid(admin).body("{\"name\": 1, \"x\": true}").post(base).then().statusCode(400);
        as(admin).body(ANY_POLICY.formatted("p1")).header("If-Match", "\"1\"").put(path).then().statusCode(200);
        as(admin).body(ANY_POLICY.formatted("p1")).header("If-Match", "W/\"2\"").put(path).then().statusCode(412);
        as(admin).body(ANY_POLICY.formatted("p1")).header("If-Match", "*").put(path).then().statusCode(200);
        as(AdminTokens.token("v", "tenant-viewer:" + t)).body(ANY_POLICY.formatted("p2")).post(base).then()
                .statusCode(403);
        as(admin).get(path + "/revisions").then().statusCode(200);
        as(admin).header("If-Match", "\"1\"").delete(path).then().statusCode(412);
        as(admin).delete(path).then().statusCode(428);
        as(admin).header("If-Match", "\"9\", \"3\"").delete(path).then().statusCode(204);
        as(admin).get(path).then().statusCode(404);
        as(admin).get(path + "/revisions").then().statusCode(200);
        as(admin).post(path + "/revisions/1/restore").then().statusCode(428);
        as(admin).header("If-Match", "\"1\"").post(path + "/revisions/1/restore").then().statusCode(412);
        as(admin).header("If-Match", "\"4\"").post(path + "/revisions/4/restore").then().statusCode(409);
        as(admin).header("If-Match", "\"4\"").post(path + "/revisions/7/restore").then().statusCode(404);
        as(AdminTokens.token("v", "tenant-viewer:" + t)).header("If-Match", "\"4\"").post(path + "/revisions/1/restore")
                .then().statusCode(403);
        as(admin).header("If-Match", "\"4\"").post(path + "/revisions/1/restore").then().statusCode(200);
        as(admin).get(path).then().statusCode(200);
    }

    @Test
    void evaluateWhenAllowedRefusedAndInvalidThenMatchContract() {
        String admin = AdminTokens.admin();
        String evaluate = "/admin/v1/tenants/acme/evaluate";
        as(admin).body(AdminEvaluateTest.dryRun("billing", KerbexTestResource.LEDGER)).post(evaluate).then()
                .statusCode(200);
        as(admin).body(AdminEvaluateTest.dryRun(KerbexTestResource.REPORTING, KerbexTestResource.PAYROLL))
                .post(evaluate).then().statusCode(200);
        invalid(admin).body("{\"client_id\": \"billing\"}").post(evaluate).then().statusCode(400);
    }
    @Test
    void clientsWhenFullLifecycleThenMatchContract() {
        String admin = AdminTokens.admin();
        String t = "ctr-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(201);
        String base = "/admin/v1/tenants/" + t + "/clients";
        as(admin).body("{\"client_id\": \"c1\", \"audiences\": [\"https://c1.example.test\"], \"rate_limit\": 5}")
                .post(base).then().statusCode(201);
        as(admin).get(base).then().statusCode(200);
        as(admin).get(base + "/c1").then().statusCode(200);
        invalid(admin).body("{\"client_id\": \"c2\", \"secret\": \"chosen-secret-0123\"}").post(base).then()
                .statusCode(400);
        as(admin).body("{\"kerberos_principal\": \"c1/host@EXAMPLE.TEST\"}").put(base + "/c1").then().statusCode(428);
        as(admin).body("{\"kerberos_principal\": \"c1/host@EXAMPLE.TEST\"}").header("If-Match", "\"7\"")
                .put(base + "/c1").then().statusCode(412);
        as(admin).body("{\"kerberos_principal\": \"c1/host@EXAMPLE.TEST\"}").header("If-Match", "\"0\"")
                .put(base + "/c1").then().statusCode(200);
        as(admin).post(base + "/c1/secret").then().statusCode(200);
        as(AdminTokens.token("v", "tenant-viewer:" + t)).post(base + "/c1/secret").then().statusCode(403);
        as(AdminTokens.token("a", "tenant-admin:acme")).get(base + "/c1").then().statusCode(404);
        as(admin).delete(base + "/c1").then().statusCode(428);
        as(admin).header("If-Match", "\"2\"").delete(base + "/c1").then().statusCode(204);
        as(admin).get(base + "/c1").then().statusCode(404);
    }

    @Test
    void trustedIssuersWhenFullLifecycleThenMatchContract() {
        String admin = AdminTokens.admin();
        String t = "ctr-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(201);
        String base = "/admin/v1/tenants/" + t + "/trusted-issuers";
        String id = as(admin).body("{\"issuer\": \"https://idp.example.test\", \"jwks_uri\": "
                + "\"https://idp.example.test/jwks\", \"algorithms\": [\"ES256\"]}").post(base).then().statusCode(201)
                .extract().path("id");
        as(admin).body("{\"issuer\": \"https://bare.example.test\"}").post(base).then().statusCode(201);
        String path = base + "/" + id;
        as(admin).get(base).then().statusCode(200);
        as(admin).get(path).then().statusCode(200);
        invalid(admin).body("{\"issuer\": \"nope\", \"algorithms\": [\"HS256\"]}").post(base).then().statusCode(400);
        invalid(admin).body("{\"issuer\": 1, \"x\": true}").post(base).then().statusCode(400);
        invalid(admin).body("{\"issuer\": \"" + "a".repeat(100 * 1024) + "\"}").post(base).then().statusCode(413);
        invalid(admin).body("{\"issuer\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}").post(base).then().statusCode(413);
        String update = "{\"id\": \"" + id + "\", \"issuer\": \"https://idp.example.test\", \"jwks_uri\": "
                + "\"https://idp.example.test/keys\"}";
        as(admin).body(update).put(path).then().statusCode(428);
        as(admin).body(update).header("If-Match", "\"5\"").put(path).then().statusCode(412);
        as(admin).body(update).header("If-Match", "\"0\"").put(path).then().statusCode(200);
        as(AdminTokens.token("v", "tenant-viewer:" + t)).body(update).header("If-Match", "\"1\"").put(path).then()
                .statusCode(403);
        as(AdminTokens.token("a", "tenant-admin:acme")).get(path).then().statusCode(404);
        as(admin).delete(path).then().statusCode(428);
        as(admin).header("If-Match", "\"0\"").delete(path).then().statusCode(412);
        as(admin).header("If-Match", "\"1\"").delete(path).then().statusCode(204);
        as(admin).get(path).then().statusCode(404);
    }

    @Test
    void keysWhenListedAndRotatedThenMatchContract() {
        String admin = AdminTokens.admin();
        String t = "ctr-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(201);
        String keys = "/admin/v1/tenants/" + t + "/keys";
        as(admin).get(keys).then().statusCode(200);
        as(admin).post(keys + "/rotate").then().statusCode(201);
        as(admin).get(keys).then().statusCode(200); // now with a retired key: retired_at, published_until
        as(AdminTokens.token("v", "tenant-viewer:" + t)).post(keys + "/rotate").then().statusCode(403);
        as(AdminTokens.token("a", "tenant-admin:acme")).get(keys).then().statusCode(404);
    }

    @Test
    void auditEventsWhenFilteredPagedAndInvalidThenMatchContract() {
        String admin = AdminTokens.admin();
        String events = "/admin/v1/tenants/acme/audit-events";
        aliceForLedger().billing().post().then().statusCode(200);
        String cursor = as(admin).queryParam("limit", 2).get(events).then().statusCode(200).extract()
                .path("next_cursor");
        as(admin).queryParam("limit", 2).queryParam("cursor", cursor).get(events).then().statusCode(200);
        as(admin).queryParam("kind", "token_exchange").queryParam("outcome", "issued").queryParam("client_id", "billing")
                .queryParam("audience", KerbexTestResource.LEDGER).queryParam("from", "2020-01-01T00:00:00Z")
                .get(events).then().statusCode(200);
        as(admin).queryParam("kind", "admin").get(events).then().statusCode(200);
        invalid(admin).queryParam("limit", 0).get(events).then().statusCode(400);
        invalid(admin).queryParam("cursor", "garbage!").get(events).then().statusCode(400);
        as(AdminTokens.token("g", "tenant-admin:globex")).get(events).then().statusCode(404);
    }
}
