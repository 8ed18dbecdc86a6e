package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** Oversized admin bodies get the admin API's problem+json 413 whatever their size, and change nothing. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminOversizedBodyTest {
    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URI root;

    static String policyOfSize(int bytes) {
        return "{\"name\": \"big\", \"description\": \"" + "a".repeat(bytes) + "\"}";
    }

    @Test
    void writeWhenBodyBetween64KiBAnd1MiBThenProblem413Audited() {
        String t = newTenant();
        JsonPath p = problem(as(AdminTokens.admin()).body(policyOfSize(100 * 1024))
                .post("/admin/v1/tenants/" + t + "/policies"), 413);
        assertThat(p.getString("detail")).isEqualTo("the request body exceeds 65536 bytes");
        problem(as(AdminTokens.admin()).body("{\"issuer\": \"https://x.example.test/" + "a".repeat(900 * 1024) + "\"}")
                .post("/admin/v1/tenants/" + t + "/trusted-issuers"), 413);
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isZero();
        assertThat(count("SELECT count(*) FROM audit_event WHERE tenant_id = ? AND outcome = 'failure'"
                + " AND details->>'status' = '413'", t)).isEqualTo(2);
    }

    @Test
    void writeWhenDeclaredLengthBeyond1MiBThenProblem413BeforeAnythingIsRead() {
        String t = newTenant();
        String big = policyOfSize(2 * 1024 * 1024);
        JsonPath p = problem(as(AdminTokens.admin()).body(big).post("/admin/v1/tenants/" + t + "/policies"), 413);
        assertThat(p.getString("type")).isEqualTo("about:blank");
        assertThat(p.getString("detail")).isEqualTo("the request body exceeds 65536 bytes");
        problem(as(AdminTokens.admin()).header("If-Match", "\"0\"").body(big).put("/admin/v1/tenants/" + t), 413);
        // Also before authentication: the size alone decides.
        given().contentType("application/json").body(big).post("/admin/v1/tenants").then().statusCode(413)
                .contentType("application/problem+json").header("Cache-Control", "no-store");
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isZero();
        as(AdminTokens.admin()).get("/admin/v1/tenants/" + t).then().statusCode(200).header("ETag", "\"0\"");
    }

    @Test
    void writeWhenChunkedBodyBeyond1MiBThenProblem413() throws Exception {
        String t = newTenant();
        byte[] big = policyOfSize(2 * 1024 * 1024).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/admin/v1/tenants/" + t + "/policies"))
                .header("Authorization", "Bearer " + AdminTokens.admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request,
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(413);
        assertThat(count("SELECT count(*) FROM policy WHERE tenant_id = ?", t)).isZero();
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
