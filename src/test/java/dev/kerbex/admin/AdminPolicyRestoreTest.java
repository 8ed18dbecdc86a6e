package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.ANY_POLICY;
import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.createPolicy;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST .../policies/{id}/revisions/{revision}/restore} (SPEC §8): an old document becomes current again as a
 * new revision; the history is never rewritten; a deleted policy comes back under its id.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminPolicyRestoreTest {
    @Inject
    AgroalDataSource dataSource;

    static String restore(String tenant, String id, int revision) {
        return "/admin/v1/tenants/" + tenant + "/policies/" + id + "/revisions/" + revision + "/restore";
    }

    /** The lifetime the token endpoint's evaluator would grant now (the same tenant snapshot). */
    static int grantedSeconds(String tenant) {
        return as(AdminTokens.admin()).body("""
                {"client_id": "eval", "subject_token_type": "urn:kerbex:token-type:kerberos-ap-req",
                 "audience": ["https://api.example.test"], "subject": {"principal": "alice@EXAMPLE.TEST"}}""")
                .post("/admin/v1/tenants/" + tenant + "/evaluate").then().statusCode(200).extract().path("expires_in");
    }

    @Test
    void restoreWhenIfMatchIsTheLatestRevisionThenNewRevisionWithTheOldDocumentAndHistoryKept() {
        String t = newTenant();
        as(AdminTokens.admin()).body("{\"client_id\": \"eval\"}").post("/admin/v1/tenants/" + t + "/clients").then()
                .statusCode(201);
        String id = createPolicy(t, "reads").then().statusCode(201).extract().path("id");
        String path = "/admin/v1/tenants/" + t + "/policies/" + id;
        as(AdminTokens.admin()).header("If-Match", "\"1\"").body(ANY_POLICY.formatted("reads").replace("PT5M", "PT2M"))
                .put(path).then().statusCode(200);
        assertThat(grantedSeconds(t)).isEqualTo(120);

        String admin = AdminTokens.token("restorer", "tenant-admin:" + t);
        problem(as(admin).post(restore(t, id, 1)), 428);
        problem(as(admin).header("If-Match", "\"1\"").post(restore(t, id, 1)), 412);
        Response restored = as(admin).header("If-Match", "\"2\"").post(restore(t, id, 1));
        restored.then().statusCode(200).header("ETag", "\"3\"").header("Cache-Control", "no-store");
        assertThat(restored.jsonPath().getString("id")).isEqualTo(id);
        assertThat(restored.jsonPath().getInt("revision")).isEqualTo(3);
        assertThat(restored.jsonPath().getString("grant.max_lifetime")).isEqualTo("PT5M");
        assertThat(grantedSeconds(t)).as("the token endpoint's snapshot").isEqualTo(300);
        as(admin).get(path).then().statusCode(200).header("ETag", "\"3\"");

        JsonPath history = as(admin).get(path + "/revisions").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("revision", Integer.class)).containsExactly(1, 2, 3);
        assertThat(history.getMap("[2].document")).isEqualTo(history.getMap("[0].document"));
        assertThat(history.getString("[1].document.grant.max_lifetime")).isEqualTo("PT2M");
        assertThat(history.getString("[2].author")).isEqualTo("restorer");

        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'success'"
                + " AND actor = 'restorer' AND policy_revision = 3 AND details->>'action' = 'restore'"
                + " AND details->>'restored_revision' = '1' AND details->'before'->'grant'->>'max_lifetime' = 'PT2M'"
                + " AND details->'after'->'grant'->>'max_lifetime' = 'PT5M'", t)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'failure'"
                + " AND details->>'action' = 'restore'", t)).isEqualTo(2); // 428, 412
    }

    @Test
    void restoreWhenPolicyDeletedThenRecreatedUnderItsIdButNeverFromTheDeletionItself() {
        String t = newTenant();
        String admin = AdminTokens.admin();
        String id = createPolicy(t, "gone").then().statusCode(201).extract().path("id");
        String path = "/admin/v1/tenants/" + t + "/policies/" + id;
        as(admin).header("If-Match", "\"1\"").delete(path).then().statusCode(204);

        JsonPath deletion = problem(as(admin).header("If-Match", "\"2\"").post(restore(t, id, 2)), 409);
        assertThat(deletion.getString("detail")).contains("records the deletion");
        problem(as(admin).header("If-Match", "\"1\"").post(restore(t, id, 1)), 412);
        problem(as(admin).header("If-Match", "\"2\"").post(restore(t, id, 9)), 404);
        problem(as(admin).header("If-Match", "\"2\"").post(restore(t, UUID.randomUUID().toString(), 1)), 404);
        problem(as(admin).header("If-Match", "\"2\"").post(restore(t, "not-a-uuid", 1)), 404);
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isZero();

        Response back = as(admin).header("If-Match", "\"2\"").post(restore(t, id, 1));
        back.then().statusCode(200).header("ETag", "\"3\"");
        assertThat(back.jsonPath().getString("id")).isEqualTo(id);
        as(admin).get(path).then().statusCode(200).header("ETag", "\"3\"");
        JsonPath history = as(admin).get(path + "/revisions").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("revision", Integer.class)).containsExactly(1, 2, 3);
        assertThat(history.getList("deleted", Boolean.class)).containsExactly(false, true, false);
        problem(as(admin).header("If-Match", "\"2\"").post(restore(t, id, 1)), 412);
    }

    @Test
    void restoreWhenTheOldDocumentIsNoLongerAcceptableThen409AndNothingChanges() {
        String t = newTenant();
        String admin = AdminTokens.admin();
        String base = "/admin/v1/tenants/" + t + "/policies";
        // Its name was taken by another policy after it was deleted.
        String old = createPolicy(t, "named").then().statusCode(201).extract().path("id");
        as(admin).header("If-Match", "\"1\"").delete(base + "/" + old).then().statusCode(204);
        createPolicy(t, "named").then().statusCode(201);
        JsonPath taken = problem(as(admin).header("If-Match", "\"2\"").post(restore(t, old, 1)), 409);
        assertThat(taken.getString("detail")).contains("/name");

        // It names a client that has been deleted since.
        as(admin).body("{\"client_id\": \"short-lived\"}").post("/admin/v1/tenants/" + t + "/clients").then()
                .statusCode(201);
        String id = as(admin).body(ANY_POLICY.formatted("for-client").replace("\"*\"", "\"short-lived\"")).post(base)
                .then().statusCode(201).extract().path("id");
        as(admin).header("If-Match", "\"1\"").body(ANY_POLICY.formatted("for-client")).put(base + "/" + id).then()
                .statusCode(200);
        as(admin).header("If-Match", "\"0\"").delete("/admin/v1/tenants/" + t + "/clients/short-lived").then()
                .statusCode(204);
        JsonPath unknown = problem(as(admin).header("If-Match", "\"2\"").post(restore(t, id, 1)), 409);
        assertThat(unknown.getString("detail")).contains("/match/clients/0: unknown client");

        as(AdminTokens.token("v", "tenant-viewer:" + t)).header("If-Match", "\"2\"").post(restore(t, id, 1)).then()
                .statusCode(403);
        as(AdminTokens.token("a", "tenant-admin:acme")).header("If-Match", "\"2\"").post(restore(t, id, 1)).then()
                .statusCode(404);
        assertThat(count("SELECT count(*) FROM policy_revision WHERE tenant_id = ?", t)).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isEqualTo(2);
    }

    long count(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
