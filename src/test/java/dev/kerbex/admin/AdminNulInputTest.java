package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** PostgreSQL cannot store a NUL character in text or jsonb: such input is a field error, never a 500. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminNulInputTest {

    @Test
    void writeWhenStringOrMemberNameHoldsNulThenProblemNamingItAndNothingWritten() {
        String t = newTenant();
        String admin = AdminTokens.admin();
        String policies = "/admin/v1/tenants/" + t + "/policies";
        JsonPath p = problem(as(admin).body(AdminApiTest.ANY_POLICY.formatted("nul")
                .replace("\"priority\": 10", "\"description\": \"a\\u0000b\", \"priority\": 10")).post(policies), 400);
        assertThat(p.getList("errors.pointer", String.class)).containsExactly("/description");
        JsonPath key = problem(as(admin).body("{\"na\\u0000me\": \"x\"}").post(policies), 400);
        assertThat(key.getList("errors.pointer", String.class)).hasSize(1);
        problem(as(admin).body(AdminApiTest.ANY_POLICY.formatted("nul")
                .replace("\"max_lifetime\"", "\"claims\": {\"k\\u0000\": \"v\"}, \"max_lifetime\"")).post(policies), 400);
        problem(as(admin).body("{\"client_id\": \"c\", \"audiences\": [\"a\\u0000\"]}")
                .post("/admin/v1/tenants/" + t + "/clients"), 400);
        problem(as(admin).body("{\"client_id\": \"c\", \"subject_token_type\": \"x\\u0000\", \"subject\": {}}")
                .post("/admin/v1/tenants/" + t + "/evaluate"), 400);
        problem(as(admin).get("/admin/v1/tenants/" + t + "/clients/a%00b"), 404);
        problem(as(admin).get("/admin/v1/tenants/a%00b"), 404);
        problem(as(admin).queryParam("subject", "a\u0000b").get("/admin/v1/tenants/" + t + "/audit-events"), 400);
        as(admin).get(policies).then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));
    }
}
