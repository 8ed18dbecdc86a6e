package dev.kerbex.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin API through HTTP (SPEC §8): authentication, roles, validation, entity tags, revisions and audit. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminApiTest {
    static final String ANY_POLICY = """
            {"name": "%s", "effect": "allow", "priority": 10,
             "match": {"clients": ["*"], "subjects": ["*@EXAMPLE.TEST"], "audiences": ["https://api.example.test"]},
             "grant": {"scopes": ["api:read"], "default_scopes": ["api:read"], "max_lifetime": "PT5M"}}""";

    @Inject
    AgroalDataSource dataSource;

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }

    /** A fresh tenant of its own, so that tests neither see nor disturb each other's data. */
    static String newTenant() {
        String id = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        as(AdminTokens.admin()).body("""
                {"id": "%s", "realms": ["EXAMPLE.TEST"], "max_token_lifetime": "PT30M"}""".formatted(id))
                .post("/admin/v1/tenants").then().statusCode(201);
        return id;
    }

    static Response createPolicy(String tenant, String name) {
        return as(AdminTokens.admin()).body(ANY_POLICY.formatted(name)).post("/admin/v1/tenants/" + tenant + "/policies");
    }

    @Test
    void adminApiWhenNoTokenOrForgedTokenThen401() {
        given().get("/admin/v1/tenants").then().statusCode(401);
        given().get("/admin/v1/tenants/acme/policies").then().statusCode(401);
        given().auth().oauth2(AdminTokens.forged("kerbex-admin")).get("/admin/v1/tenants").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/admin/v1/tenants").then().statusCode(401);
        // The OAuth endpoints stay public, even with a bearer token the admin API would refuse.
        given().auth().oauth2("not-a-jwt").get("/tenants/acme/oauth2/jwks").then().statusCode(200);
    }

    @Test
    void kerbexAdminWhenTenantLifecycleThenEtagsAndIfMatchGuardUpdates() {
        String admin = AdminTokens.admin();
        String t = newTenant();
        Response read = as(admin).get("/admin/v1/tenants/" + t);
        read.then().statusCode(200).header("ETag", "\"0\"").header("Cache-Control", "no-store");
        assertThat(read.jsonPath().getString("max_token_lifetime")).isEqualTo("PT30M");
        assertThat(read.jsonPath().getList("enctypes")).isNotEmpty();

        String update = """
                {"realms": ["EXAMPLE.TEST", "OTHER.TEST"], "max_token_lifetime": "PT20M"}""";
        problem(as(admin).body(update).put("/admin/v1/tenants/" + t), 428);
        problem(as(admin).header("If-Match", "\"7\"").body(update).put("/admin/v1/tenants/" + t), 412);
        as(admin).header("If-Match", "\"0\"").body(update).put("/admin/v1/tenants/" + t).then().statusCode(200)
                .header("ETag", "\"1\"");
        JsonPath after = as(admin).get("/admin/v1/tenants/" + t).jsonPath();
        assertThat(after.getList("realms")).containsExactly("EXAMPLE.TEST", "OTHER.TEST");
        assertThat(after.getString("max_token_lifetime")).isEqualTo("PT20M");
        problem(as(admin).header("If-Match", "\"0\"").body(update).put("/admin/v1/tenants/" + t), 412);

        as(admin).body("{\"id\": \"" + t + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants").then()
                .statusCode(409);
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'success'"
                + " AND actor = 'root-admin'", t)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'failure'",
                t)).isEqualTo(4); // 428, 412, 412, 409

        String refused = "adm-bad-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath p = problem(as(admin).body("{\"id\": \"" + refused + "\", \"realms\": [], \"max_token_lifetime\": \"P2D\"}")
                .post("/admin/v1/tenants"), 400);
        assertThat(p.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/realms", "/max_token_lifetime");
        problem(as(admin).get("/admin/v1/tenants/" + refused), 404);
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'failure'",
                refused)).isEqualTo(1);
    }

    @Test
    void kerbexAdminWhenPolicyCrudThenRevisionsKeepEveryDocumentAndDeleteKeepsHistory() {
        String admin = AdminTokens.admin();
        String t = newTenant();
        Response created = createPolicy(t, "reads");
        created.then().statusCode(201).header("ETag", "\"1\"");
        String id = created.jsonPath().getString("id");
        assertThat(created.header("Location")).endsWith("/admin/v1/tenants/" + t + "/policies/" + id);
        String path = "/admin/v1/tenants/" + t + "/policies/" + id;
        as(admin).get(path).then().statusCode(200).header("ETag", "\"1\"");
        as(admin).get("/admin/v1/tenants/" + t + "/policies").then().statusCode(200);

        String edited = ANY_POLICY.formatted("reads").replace("PT5M", "PT2M");
        problem(as(admin).body(edited).put(path), 428);
        problem(as(admin).header("If-Match", "\"2\"").body(edited).put(path), 412);
        Response put = as(AdminTokens.token("alice-admin", "tenant-admin:" + t)).header("If-Match", "\"1\"")
                .body(edited).put(path);
        put.then().statusCode(200).header("ETag", "\"2\"");
        assertThat(put.jsonPath().getString("grant.max_lifetime")).isEqualTo("PT2M");
        assertThat(put.jsonPath().getInt("revision")).isEqualTo(2);

        JsonPath revisions = as(admin).get(path + "/revisions").then().statusCode(200).extract().jsonPath();
        assertThat(revisions.getList("revision", Integer.class)).containsExactly(1, 2);
        assertThat(revisions.getString("[0].document.grant.max_lifetime")).isEqualTo("PT5M");
        assertThat(revisions.getString("[0].author")).isEqualTo("root-admin");
        assertThat(revisions.getString("[1].author")).isEqualTo("alice-admin");

        problem(as(admin).delete(path), 428);
        problem(as(admin).header("If-Match", "\"1\"").delete(path), 412);
        as(admin).header("If-Match", "\"2\"").delete(path).then().statusCode(204);
        problem(as(admin).get(path), 404);
        JsonPath history = as(admin).get(path + "/revisions").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("revision", Integer.class)).containsExactly(1, 2, 3);
        assertThat(history.getBoolean("[2].deleted")).isTrue();
        assertThat(history.getString("[2].created_at")).isNotBlank();
        assertThat(history.getString("[1].document.grant.max_lifetime")).isEqualTo("PT2M");

        Map<String, Object> audit = row("SELECT actor, outcome, policy_revision, details::text AS details FROM audit_event"
                + " WHERE kind = 'admin' AND tenant_id = ? AND policy_revision = 2", t);
        assertThat(audit).containsEntry("actor", "alice-admin").containsEntry("outcome", "success");
        assertThat(audit.get("details").toString()).contains("\"action\": \"update\"").contains("PT5M").contains("PT2M");
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND policy_id IS NOT NULL"
                + " AND outcome = 'success'", t)).isEqualTo(3);
    }

    @Test
    void tenantAdminOfAcmeWhenGlobexThen404AndListShowsOnlyAcme() {
        String acmeAdmin = AdminTokens.token("acme-admin", "tenant-admin:acme");
        as(acmeAdmin).get("/admin/v1/tenants").then().statusCode(200).body("id", hasItem("acme"))
                .body("id", not(hasItem("globex")));
        problem(as(acmeAdmin).get("/admin/v1/tenants/globex"), 404);
        problem(as(acmeAdmin).get("/admin/v1/tenants/globex/policies"), 404);
        problem(as(acmeAdmin).body(ANY_POLICY.formatted("sneaky")).post("/admin/v1/tenants/globex/policies"), 404);
        problem(as(acmeAdmin).header("If-Match", "\"0\"").body("{\"realms\": [\"X.TEST\"]}")
                .put("/admin/v1/tenants/globex"), 404);
        problem(as(acmeAdmin).body("{}").post("/admin/v1/tenants/globex/evaluate"), 404);
        // The same answer as for a tenant that does not exist at all.
        problem(as(acmeAdmin).get("/admin/v1/tenants/nosuch"), 404);
        problem(as(AdminTokens.token("nobody")).get("/admin/v1/tenants/acme"), 404);
        as(AdminTokens.token("nobody")).get("/admin/v1/tenants").then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ? AND name = 'sneaky'", "globex")).isZero();
        // A tenant admin does not create tenants.
        problem(as(acmeAdmin).body("{\"id\": \"acme-two\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants"), 403);
    }

    @Test
    void viewerWhenWritingThen403AndReadingThen200() {
        String t = newTenant();
        String id = createPolicy(t, "seen").jsonPath().getString("id");
        String viewer = AdminTokens.token("viewer", "tenant-viewer:" + t);
        as(viewer).get("/admin/v1/tenants/" + t + "/policies").then().statusCode(200).body("name", hasItem("seen"));
        as(viewer).get("/admin/v1/tenants/" + t + "/policies/" + id).then().statusCode(200).header("ETag", "\"1\"");
        problem(as(viewer).body(ANY_POLICY.formatted("new")).post("/admin/v1/tenants/" + t + "/policies"), 403);
        problem(as(viewer).header("If-Match", "\"1\"").body(ANY_POLICY.formatted("seen"))
                .put("/admin/v1/tenants/" + t + "/policies/" + id), 403);
        problem(as(viewer).header("If-Match", "\"1\"").delete("/admin/v1/tenants/" + t + "/policies/" + id), 403);
        problem(as(viewer).header("If-Match", "\"0\"").body("{\"realms\": [\"EXAMPLE.TEST\"]}")
                .put("/admin/v1/tenants/" + t), 403);
        assertThat(count("SELECT count(*) FROM policy_revision WHERE tenant_id = ?", t)).isEqualTo(1);
    }

    @Test
    void createPolicyWhenSeveralFieldsInvalidThenProblemListingEachAndNothingWritten() {
        String t = newTenant();
        createPolicy(t, "taken").then().statusCode(201);
        long before = count("SELECT count(*) FROM policy_revision WHERE tenant_id = ?", t);
        Response r = as(AdminTokens.admin()).body("""
                {"name": "taken", "effect": "maybe",
                 "match": {"clients": ["ghost"], "subject_token_types": ["urn:example:nope"], "subjects": ["[a-"],
                           "audiences": []},
                 "grant": {"max_lifetime": "ten minutes"}}""").post("/admin/v1/tenants/" + t + "/policies");
        JsonPath p = problem(r, 400);
        assertThat(p.getString("type")).isEqualTo("urn:kerbex:problem:invalid-body");
        assertThat(p.getList("errors.pointer", String.class)).contains("/name", "/effect", "/match/clients/0",
                "/match/subject_token_types/0", "/match/audiences", "/grant/max_lifetime");
        assertThat(p.getList("errors.detail", String.class)).allSatisfy(d -> assertThat(d).isNotBlank());
        assertThat(count("SELECT count(*) FROM policy_revision WHERE tenant_id = ?", t)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'failure'"
                + " AND details::text LIKE '%/match/audiences%'", t)).isEqualTo(1);
    }

    @Test
    void writeWhenHostileBodiesThenProblemAndDataUnchanged() {
        String t = newTenant();
        Response created = createPolicy(t, "stable");
        String path = "/admin/v1/tenants/" + t + "/policies/" + created.jsonPath().getString("id");
        String admin = AdminTokens.admin();
        String policies = "/admin/v1/tenants/" + t + "/policies";

        JsonPath wrongTypes = problem(as(admin).body("""
                {"name": 7, "priority": "high", "match": {"audiences": "https://api.example.test", "clients": [1]},
                 "grant": {"require_dpop": "yes", "claims": {"dept": ["x"]}}}""").post(policies), 400);
        assertThat(wrongTypes.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/name", "/priority",
                "/match/audiences", "/match/clients/0", "/grant/require_dpop", "/grant/claims/dept");

        JsonPath unknown = problem(as(admin).body("""
                {"name": "x", "match": {"audiences": ["a"], "admin": true}, "isAdmin": true}""").post(policies), 400);
        assertThat(unknown.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/match/admin", "/isAdmin");

        problem(as(admin).body("{\"name\": \"" + "a".repeat(200_000) + "\"}").post(policies), 413);
        problem(as(admin).body("{\"name\": \"x\", \"name\": \"y\"}").post(policies), 400);
        problem(as(admin).body("[1, 2]").post(policies), 400);
        problem(as(admin).body("{\"name\": ").post(policies), 400);
        problem(as(admin).body("").post(policies), 400);
        JsonPath injection = problem(as(admin).body(ANY_POLICY.formatted("x'; DROP TABLE policy; --")).post(policies), 400);
        assertThat(injection.getList("errors.pointer", String.class)).containsExactly("/name");
        problem(as(admin).header("If-Match", "\"1\"").body(ANY_POLICY.formatted("stable")
                .replace("\"PT5M\"", "{\"$gt\": \"\"}")).put(path), 400);
        problem(as(admin).header("If-Match", "\"0\"").body("{\"realms\": \"EXAMPLE.TEST\", \"policies\": []}")
                .put("/admin/v1/tenants/" + t), 400);
        given().auth().oauth2(admin).contentType("text/plain").body("name=x").post(policies).then().statusCode(415);

        as(admin).get(path).then().statusCode(200).header("ETag", "\"1\"");
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM policy_revision WHERE tenant_id = ?", t)).isEqualTo(1);
        as(admin).get("/admin/v1/tenants/" + t).then().statusCode(200).header("ETag", "\"0\"");
    }

    static JsonPath problem(Response r, int status) {
        r.then().statusCode(status).contentType("application/problem+json");
        JsonPath p = r.jsonPath();
        assertThat(p.getInt("status")).isEqualTo(status);
        assertThat(p.getString("title")).isNotBlank();
        return p;
    }

    long count(String sql, String arg) {
        return ((Number) row(sql, arg).values().iterator().next()).longValue();
    }

    Map<String, Object> row(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for " + sql).isTrue();
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
