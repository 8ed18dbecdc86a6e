package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TokenRequests;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /admin/v1/tenants/{t}/clients}: generated secrets shown once, rotation, guarded writes (SPEC §3, §8). */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminClientsTest {
    static final String ACME = "/admin/v1/tenants/acme/clients";

    @Inject
    AgroalDataSource dataSource;

    private static Response payroll(String clientId, String secret) {
        return TokenRequests.exchange().param("subject_token_type", TokenRequests.AP_REQ)
                .param("subject_token", GssTokens.aliceKrb5Base64()).param("audience", KerbexTestResource.PAYROLL)
                .basic(clientId, secret).post();
    }

    @Test
    void createWhenNoSecretGivenThenGeneratedSecretShownOnceAndWorksUntilRotated() throws Exception {
        String admin = AdminTokens.token("acme-admin", "tenant-admin:acme");
        String id = "cl-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = as(admin).body("""
                {"client_id": "%s", "audiences": ["https://cl.example.test"], "rate_limit": 50}""".formatted(id))
                .post(ACME);
        created.then().statusCode(201).header("ETag", "\"0\"").header("Cache-Control", "no-store")
                .header("Location", org.hamcrest.Matchers.endsWith(ACME + "/" + id));
        String secret = created.jsonPath().getString("client_secret");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(created.jsonPath().getBoolean("has_secret")).isTrue();
        assertThat(created.jsonPath().getList("grant_types")).containsExactly(TokenRequests.GRANT);

        payroll(id, secret).then().statusCode(200);
        payroll(id, "wrong-secret-0123456789").then().statusCode(401).body("error", org.hamcrest.Matchers.is("invalid_client"));

        String read = as(AdminTokens.token("v", "tenant-viewer:acme")).get(ACME + "/" + id).then().statusCode(200)
                .header("ETag", "\"0\"").extract().asString();
        JsonPath one = JsonPath.from(read);
        assertThat(one.getMap("$").keySet()).containsExactlyInAnyOrder("client_id", "grant_types", "audiences",
                "rate_limit", "has_secret", "created_at", "updated_at");
        assertThat(read).doesNotContain(secret).doesNotContain("$2");
        String list = as(admin).get(ACME).then().statusCode(200).extract().asString();
        assertThat(list).contains("\"" + id + "\"").contains("\"billing\"").doesNotContain(secret).doesNotContain("$2")
                .doesNotContain("\"secret\"").doesNotContain("client_secret").doesNotContain("secret_hash");

        Response rotated = as(admin).post(ACME + "/" + id + "/secret");
        rotated.then().statusCode(200).header("ETag", "\"1\"");
        String fresh = rotated.jsonPath().getString("client_secret");
        assertThat(fresh).isNotBlank().isNotEqualTo(secret);
        payroll(id, secret).then().statusCode(401).body("error", org.hamcrest.Matchers.is("invalid_client"));
        payroll(id, fresh).then().statusCode(200);

        String audit = String.join("\n", strings(
                "SELECT details::text FROM audit_event WHERE kind = 'admin' AND tenant_id = 'acme' AND details::text LIKE ?",
                "%" + id + "%"));
        assertThat(audit).contains("\"create\"").contains("\"rotate\"").doesNotContain(secret).doesNotContain(fresh)
                .doesNotContain("$2");

        as(admin).delete(ACME + "/" + id).then().statusCode(428);
        as(admin).header("If-Match", "\"0\"").delete(ACME + "/" + id).then().statusCode(412);
        as(admin).header("If-Match", "\"1\"").delete(ACME + "/" + id).then().statusCode(204);
        as(admin).get(ACME + "/" + id).then().statusCode(404);
        payroll(id, fresh).then().statusCode(401);
    }

    @Test
    void updateWhenIfMatchAndValidThenChangedAndSecretKeptOtherwiseRefusedWithNothingWritten() {
        String t = newTenant();
        String base = "/admin/v1/tenants/" + t + "/clients";
        String admin = AdminTokens.token("ta", "tenant-admin:" + t);
        as(admin).body("{\"client_id\": \"svc\"}").post(base).then().statusCode(201);

        JsonPath bad = problem(as(admin).body("""
                {"client_id": "two words", "secret": "chosen-secret-0123", "kerberos_principal": "nope",
                 "grant_types": ["password"], "rate_limit": 0}""").post(base), 400);
        assertThat(bad.getList("errors.pointer")).contains("/client_id", "/secret", "/kerberos_principal",
                "/grant_types/0", "/rate_limit");
        problem(as(admin).body("{\"client_id\": \"svc\"}").post(base), 400);
        problem(as(admin).body("{\"client_id\": \"x\", \"has_secret\": false}").post(base), 400);
        assertThat(count("SELECT count(*) FROM oauth_client WHERE tenant_id = ?", t)).isEqualTo(1);

        String update = """
                {"kerberos_principal": "svc/host@EXAMPLE.TEST", "audiences": ["https://a.example.test"], "rate_limit": 7}""";
        problem(as(admin).body(update).put(base + "/svc"), 428);
        problem(as(admin).header("If-Match", "\"5\"").body(update).put(base + "/svc"), 412);
        JsonPath secretInPut = problem(as(admin).header("If-Match", "\"0\"")
                .body("{\"secret\": \"chosen-secret-0123\", \"client_id\": \"other\"}").put(base + "/svc"), 400);
        assertThat(secretInPut.getList("errors.pointer")).contains("/secret", "/client_id");
        problem(as(AdminTokens.token("v", "tenant-viewer:" + t)).header("If-Match", "\"0\"").body(update)
                .put(base + "/svc"), 403);
        problem(as(AdminTokens.token("v", "tenant-viewer:" + t)).post(base + "/svc/secret"), 403);
        problem(as(AdminTokens.token("v", "tenant-viewer:" + t)).body("{\"client_id\": \"v\"}").post(base), 403);
        problem(as(AdminTokens.token("a", "tenant-admin:acme")).get(base), 404);
        problem(as(AdminTokens.token("a", "tenant-admin:acme")).get(base + "/svc"), 404);
        problem(as(AdminTokens.token("a", "tenant-admin:acme")).body("{\"client_id\": \"v\"}").post(base), 404);
        problem(as(admin).post(base + "/nosuch/secret"), 404);
        assertThat(count("SELECT count(*) FROM oauth_client WHERE tenant_id = ? AND version = 0", t)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM oauth_client WHERE tenant_id = ?", t)).isEqualTo(1);

        Response ok = as(admin).header("If-Match", "\"0\"").body(update).put(base + "/svc");
        ok.then().statusCode(200).header("ETag", "\"1\"");
        assertThat(ok.jsonPath().getString("kerberos_principal")).isEqualTo("svc/host@EXAMPLE.TEST");
        assertThat(ok.jsonPath().getInt("rate_limit")).isEqualTo(7);
        assertThat(ok.jsonPath().getBoolean("has_secret")).isTrue();
        assertThat(ok.jsonPath().getString("client_secret")).isNull();
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'success'",
                t)).isEqualTo(3); // tenant, client created, client updated
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'failure'",
                t)).isGreaterThanOrEqualTo(6);
    }

    @Test
    void deleteWhenPolicyNamesClientThenPolicyKeepsWorkingForItsOtherClients() {
        String admin = AdminTokens.admin();
        String id = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("{\"client_id\": \"" + id + "\"}").post(ACME).then().statusCode(201);
        String policy = as(admin).body("""
                {"name": "%s", "effect": "allow", "priority": 100,
                 "match": {"clients": ["%s", "billing"], "subjects": ["*@EXAMPLE.TEST"],
                           "audiences": ["https://%s.example.test"]},
                 "grant": {"scopes": ["x:read"], "default_scopes": ["x:read"], "max_lifetime": "PT5M"}}"""
                .formatted(id, id, id)).post("/admin/v1/tenants/acme/policies").then().statusCode(201).extract()
                .path("id");
        as(admin).header("If-Match", "\"0\"").delete(ACME + "/" + id).then().statusCode(204);
        aliceForLedger().without("audience").param("audience", "https://" + id + ".example.test").billing().post()
                .then().statusCode(200);
        aliceForLedger().billing().post().then().statusCode(200);
        as(admin).get("/admin/v1/tenants/acme/policies/" + policy).then().statusCode(200);
        as(admin).header("If-Match", "\"1\"").delete("/admin/v1/tenants/acme/policies/" + policy).then().statusCode(204);
    }

    long count(String sql, String arg) {
        return Long.parseLong(strings(sql, arg).get(0));
    }

    List<String> strings(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
