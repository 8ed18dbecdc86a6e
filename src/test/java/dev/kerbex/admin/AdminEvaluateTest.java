package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.problem;
import static dev.kerbex.testing.KerbexTestResource.LEDGER;
import static dev.kerbex.testing.KerbexTestResource.PAYROLL;
import static dev.kerbex.testing.KerbexTestResource.REPORTING;
import static dev.kerbex.testing.KerbexTestResource.REPORTING_SECRET;
import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestKdc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dry run against acme's bootstrap policies, compared with what the token endpoint really answers. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminEvaluateTest {
    static final String EVALUATE = "/admin/v1/tenants/acme/evaluate";

    static String dryRun(String client, String audience) {
        return """
                {"client_id": "%s", "subject_token_type": "%s", "audience": ["%s"],
                 "subject": {"principal": "%s"}, "source_address": "127.0.0.1"}"""
                .formatted(client, AP_REQ, audience, TestKdc.ALICE);
    }

    @Test
    void evaluateWhenAllowedThenSameScopeAndLifetimeAsRealExchange() {
        JsonPath dry = as(AdminTokens.token("viewer", "tenant-viewer:acme")).body(dryRun("billing", LEDGER))
                .post(EVALUATE).then().statusCode(200).extract().jsonPath();
        Response real = aliceForLedger().billing().post();
        real.then().statusCode(200);

        assertThat(dry.getString("decision")).isEqualTo("allow");
        assertThat(dry.getString("policy.name")).isEqualTo("ledger");
        assertThat(dry.getInt("policy.revision")).isGreaterThanOrEqualTo(1);
        assertThat(dry.getString("scope")).isEqualTo(real.jsonPath().getString("scope"));
        assertThat(dry.getLong("expires_in")).isEqualTo(real.jsonPath().getLong("expires_in"));
        List<String> reasons = dry.getList("policies.findAll { !it.matched }.reason", String.class);
        assertThat(reasons).isNotEmpty().allSatisfy(r -> assertThat(r).isNotBlank());
        assertThat(dry.getList("policies.name", String.class)).contains("ledger", "payroll", "no-payroll-for-reporting");
    }

    @Test
    void evaluateWhenRefusedByDenyThenSameErrorAsRealExchange() {
        JsonPath dry = as(AdminTokens.admin()).body(dryRun(REPORTING, PAYROLL)).post(EVALUATE).then().statusCode(200)
                .extract().jsonPath();
        Response real = exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", PAYROLL).basic(REPORTING, REPORTING_SECRET).post();
        real.then().statusCode(400);

        assertThat(dry.getString("decision")).isEqualTo("deny");
        assertThat(dry.getString("error")).isEqualTo(real.jsonPath().getString("error"));
        assertThat(dry.getString("error_description")).isEqualTo(real.jsonPath().getString("error_description"));
        assertThat(dry.getString("policy.name")).isEqualTo("no-payroll-for-reporting");
        assertThat(dry.getString("policy.effect")).isEqualTo("deny");
    }

    @Test
    void evaluateWhenAudienceNotPermittedThenSameErrorAsRealExchange() {
        JsonPath dry = as(AdminTokens.admin()).body(dryRun("billing", "https://elsewhere.example.test")).post(EVALUATE)
                .then().statusCode(200).extract().jsonPath();
        Response real = exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", "https://elsewhere.example.test").billing().post();
        assertThat(dry.getString("decision")).isEqualTo("deny");
        assertThat(dry.getString("error")).isEqualTo(real.jsonPath().getString("error"));
        assertThat(dry.getString("policy")).isNull();
    }

    @Test
    void evaluateWhenDescribedSubjectInvalidThenProblemListingFields() {
        JsonPath p = problem(as(AdminTokens.admin()).body("""
                {"client_id": "ghost", "subject_token_type": "urn:example:nope", "audience": [1],
                 "subject": {"principal": "a@B", "sub": "x"}, "source_address": "evil.example", "extra": 1}""")
                .post(EVALUATE), 400);
        assertThat(p.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/audience/0", "/extra");
        JsonPath q = problem(as(AdminTokens.admin()).body("""
                {"client_id": "ghost", "subject_token_type": "urn:example:nope", "audience": ["a"],
                 "subject": {"principal": "a@B", "sub": "x"}, "source_address": "evil.example"}""")
                .post(EVALUATE), 400);
        assertThat(q.getList("errors.pointer", String.class)).contains("/client_id", "/subject_token_type", "/subject",
                "/subject/iss", "/source_address");
    }

    /**
     * One literal-only address parser (policy/Cidr's): a name such as {@code dead.beef} never reaches a resolver,
     * and the legacy short forms {@code InetAddress.getByName} reads as IPv4 ({@code 127.1} = 127.0.0.1) are names too.
     */
    @Test
    void evaluateWhenSourceAddressIsNoStrictLiteralThenFieldError() {
        for (String notLiteral : List.of("dead.beef", "127.1", "0x7f.0.0.1", "127.0.0.01", "::1%lo", "[::1]")) {
            JsonPath p = problem(as(AdminTokens.admin()).body(dryRun("billing", LEDGER).replace("127.0.0.1", notLiteral))
                    .post(EVALUATE), 400);
            assertThat(p.getList("errors.pointer", String.class)).as(notLiteral).containsExactly("/source_address");
        }
        as(AdminTokens.admin()).body(dryRun("billing", LEDGER).replace("127.0.0.1", "::ffff:127.0.0.1")).post(EVALUATE)
                .then().statusCode(200);
    }

    /** Actors are (issuer, subject): the dry run names the actor's issuer, as the token endpoint decides. */
    @Test
    void evaluateWhenActorOfATrustedIssuerHasAnOwnServicesSubThenNoPolicyMatches() {
        String body = """
                {"client_id": "reports-api", "subject_token_type": "urn:ietf:params:oauth:token-type:access_token",
                 "audience": ["%s"], "actor": "%s", %s
                 "subject": {"sub": "%s", "iss": "%s"}}""";
        String own = body.formatted(KerbexTestResource.ARCHIVE, TestKdc.BILLING, "", TestKdc.ALICE,
                "http://localhost:8080/tenants/acme");
        String foreign = body.formatted(KerbexTestResource.ARCHIVE, TestKdc.BILLING,
                "\"actor_issuer\": \"https://idp.example.test\",", TestKdc.ALICE, "http://localhost:8080/tenants/acme");
        JsonPath allowed = as(AdminTokens.admin()).body(own).post(EVALUATE).then().statusCode(200).extract().jsonPath();
        assertThat(allowed.getString("policy.name")).isEqualTo("archive-delegation");
        JsonPath denied = as(AdminTokens.admin()).body(foreign).post(EVALUATE).then().statusCode(200).extract().jsonPath();
        assertThat(denied.getString("decision")).isEqualTo("deny");
        assertThat(denied.getList("policies.findAll { it.name == 'archive-delegation' }.reason", String.class))
                .containsExactly("actor " + TestKdc.BILLING + " of issuer https://idp.example.test does not match");
        JsonPath p = problem(as(AdminTokens.admin()).body(own.replace("\"actor\": \"" + TestKdc.BILLING + "\",",
                "\"actor_issuer\": \"https://idp.example.test\",")).post(EVALUATE), 400);
        assertThat(p.getList("errors.pointer", String.class)).containsExactly("/actor_issuer");
    }

    @Test
    void policyEditWhenSavedThenNextTokenRequestHonoursIt() {
        String fresh = "https://fresh-" + System.nanoTime() + ".example.test";
        Response before = exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", fresh).billing().post();
        before.then().statusCode(400);
        Response created = as(AdminTokens.token("acme-admin", "tenant-admin:acme")).body("""
                {"name": "fresh-%d", "match": {"clients": ["billing"], "audiences": ["%s"]},
                 "grant": {"scopes": ["fresh:read"], "default_scopes": ["fresh:read"]}}""".formatted(System.nanoTime(), fresh))
                .post("/admin/v1/tenants/acme/policies");
        created.then().statusCode(201);
        try {
            exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                    .param("audience", fresh).billing().post().then().statusCode(200);
        } finally {
            as(AdminTokens.admin()).header("If-Match", "\"1\"")
                    .delete("/admin/v1/tenants/acme/policies/" + created.jsonPath().getString("id")).then().statusCode(204);
        }
        exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", fresh).billing().post().then().statusCode(400);
    }
}
