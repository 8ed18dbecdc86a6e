package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestIdp;
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
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /admin/v1/tenants/{t}/trusted-issuers} (SPEC §3, §8): the declarative file's objects, guarded and audited. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminTrustedIssuersTest {
    static final TestIdp IDP = TestIdp.get();
    static final String AUDIENCE = "https://ti.example.test";

    @Inject
    AgroalDataSource dataSource;

    static String base(String tenant) {
        return "/admin/v1/tenants/" + tenant + "/trusted-issuers";
    }

    static String issuer() {
        return """
                {"issuer": "%s", "jwks_uri": "%s"}""".formatted(IDP.issuer(), IDP.jwksUri(IDP.jwksPath()));
    }

    /** A tenant with a client and a policy for IDP's tokens, but no trusted issuer yet; returns the client secret. */
    static String tenantForIdp(String t) {
        String admin = AdminTokens.admin();
        String secret = as(admin).body("{\"client_id\": \"ti-app\"}").post("/admin/v1/tenants/" + t + "/clients").then()
                .statusCode(201).extract().path("client_secret");
        as(admin).body("""
                {"name": "idp", "match": {"clients": ["ti-app"], "issuers": ["%s"], "audiences": ["%s"]},
                 "grant": {"scopes": ["partner:read"], "default_scopes": ["partner:read"]}}""".formatted(IDP.issuer(),
                AUDIENCE)).post("/admin/v1/tenants/" + t + "/policies").then().statusCode(201);
        return secret;
    }

    static Response exchange(String tenant, String secret) {
        String subject = TestIdp.sign(IDP.key(), new JWTClaimsSet.Builder().issuer(IDP.issuer()).subject("carol")
                .audience("ti-app").claim("scope", "partner:read").issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        return TokenRequests.exchange().param("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
                .param("subject_token", subject).param("audience", AUDIENCE).basic("ti-app", secret).post(tenant);
    }

    @Test
    void lifecycleWhenCreatedChangedAndDeletedThenTokenEndpointHonoursEachAndEveryChangeIsAudited() {
        String t = newTenant();
        String secret = tenantForIdp(t);
        String admin = AdminTokens.token("ti-admin", "tenant-admin:" + t);
        exchange(t, secret).then().statusCode(400).body("error_description",
                org.hamcrest.Matchers.containsString("not trusted"));

        Response created = as(admin).body(issuer()).post(base(t));
        created.then().statusCode(201).header("ETag", "\"0\"").header("Cache-Control", "no-store");
        String id = created.jsonPath().getString("id");
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(created.header("Location")).endsWith(base(t) + "/" + id);
        assertThat(created.jsonPath().getString("issuer")).isEqualTo(IDP.issuer());
        assertThat(created.jsonPath().getString("jwks_uri")).isEqualTo(IDP.jwksUri(IDP.jwksPath()));
        exchange(t, secret).then().statusCode(200).body("scope", org.hamcrest.Matchers.is("partner:read"));

        String path = base(t) + "/" + id;
        String rsaOnly = """
                {"issuer": "%s", "jwks_uri": "%s", "algorithms": ["RS256"]}""".formatted(IDP.issuer(),
                IDP.jwksUri(IDP.jwksPath()));
        problem(as(admin).body(rsaOnly).put(path), 428);
        problem(as(admin).header("If-Match", "\"3\"").body(rsaOnly).put(path), 412);
        problem(as(admin).header("If-Match", "W/\"0\"").body(rsaOnly).put(path), 412); // weak: never matches
        Response put = as(admin).header("If-Match", "\"0\"").body(rsaOnly).put(path);
        put.then().statusCode(200).header("ETag", "\"1\"");
        assertThat(put.jsonPath().getList("algorithms")).containsExactly("RS256");
        // The IDP signs ES256, which this issuer no longer may use.
        exchange(t, secret).then().statusCode(400).body("error", org.hamcrest.Matchers.is("invalid_request"));

        as(AdminTokens.token("v", "tenant-viewer:" + t)).get(path).then().statusCode(200).header("ETag", "\"1\"");
        JsonPath list = as(admin).get(base(t)).then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("id")).containsExactly(id);

        problem(as(admin).delete(path), 428);
        problem(as(admin).header("If-Match", "\"0\"").delete(path), 412);
        as(admin).header("If-Match", "\"1\"").delete(path).then().statusCode(204);
        problem(as(admin).get(path), 404);
        problem(as(admin).header("If-Match", "\"1\"").delete(path), 404);
        exchange(t, secret).then().statusCode(400).body("error_description",
                org.hamcrest.Matchers.containsString("not trusted"));

        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'success'"
                + " AND actor = 'ti-admin' AND details->>'resource' = 'trusted_issuer'", t)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND outcome = 'failure'"
                + " AND details->>'resource' = 'trusted_issuer'", t)).isEqualTo(5); // 428, 412, 412, 428, 412
        assertThat(count("SELECT count(*) FROM audit_event WHERE kind = 'admin' AND tenant_id = ? AND details->>'action'"
                + " = 'update' AND details->'before'->>'algorithms' IS NULL AND details->'after'->>'algorithms' IS NOT NULL",
                t)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM trusted_issuer WHERE tenant_id = ?", t)).isZero();
    }

    @Test
    void writeWhenInvalidOrDuplicateThenProblemListingEachFieldAndNothingWritten() {
        String t = newTenant();
        String admin = AdminTokens.admin();
        String id = as(admin).body(issuer()).post(base(t)).then().statusCode(201).extract().path("id");

        JsonPath bad = problem(as(admin).body("""
                {"issuer": "not a url", "jwks_uri": "ftp://keys.example.test/jwks", "algorithms": ["HS256", "none", "ES256"]}""")
                .post(base(t)), 400);
        assertThat(bad.getString("type")).isEqualTo("urn:kerbex:problem:invalid-body");
        assertThat(bad.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/issuer", "/jwks_uri",
                "/algorithms/0", "/algorithms/1");
        JsonPath shape = problem(as(admin).body("""
                {"issuer": 7, "jwks_uri": ["x"], "algorithms": "ES256", "trusted": true}""").post(base(t)), 400);
        assertThat(shape.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/issuer", "/jwks_uri",
                "/algorithms", "/trusted");
        JsonPath duplicate = problem(as(admin).body(issuer()).post(base(t)), 400);
        assertThat(duplicate.getList("errors.pointer", String.class)).containsExactly("/issuer");
        JsonPath withId = problem(as(admin).body("""
                {"id": "%s", "issuer": "https://other.example.test"}""".formatted(id)).post(base(t)), 400);
        assertThat(withId.getList("errors.pointer", String.class)).containsExactly("/id");
        JsonPath tooLong = problem(as(admin).body("""
                {"issuer": "https://x.example.test/%s", "jwks_uri": "https://x.example.test/%s"}""".formatted(
                "a".repeat(1100), "b".repeat(2100))).post(base(t)), 400);
        assertThat(tooLong.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/issuer", "/jwks_uri");
        problem(as(admin).body("{\"issuer\": \"https://x.example.test/\\u0000\"}").post(base(t)), 400);
        problem(as(admin).body("").post(base(t)), 400);
        problem(as(admin).body("[]").post(base(t)), 400);

        // A rename onto another trusted issuer is a duplicate too; the id in the body must be the path's.
        String other = as(admin).body("{\"issuer\": \"https://other.example.test\", \"jwks_uri\": "
                + "\"https://other.example.test/jwks\"}").post(base(t)).then().statusCode(201).extract().path("id");
        JsonPath rename = problem(as(admin).header("If-Match", "\"0\"").body("""
                {"id": "%s", "issuer": "%s"}""".formatted(id, IDP.issuer())).put(base(t) + "/" + other), 400);
        assertThat(rename.getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/id", "/issuer");
        as(admin).header("If-Match", "\"0\"").body("""
                {"id": "%s", "issuer": "https://renamed.example.test", "jwks_uri": "https://renamed.example.test/jwks"}"""
                .formatted(other)).put(base(t) + "/" + other).then().statusCode(200).header("ETag", "\"1\"")
                .body("issuer", org.hamcrest.Matchers.is("https://renamed.example.test"));

        assertThat(count("SELECT count(*) FROM trusted_issuer WHERE tenant_id = ?", t)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM trusted_issuer WHERE tenant_id = ? AND version = 0", t)).isEqualTo(1);
    }

    @Test
    void rolesWhenViewerWritesOrOtherTenantsAdminReadsThen403And404() {
        String t = newTenant();
        String id = as(AdminTokens.admin()).body(issuer()).post(base(t)).then().statusCode(201).extract().path("id");
        String path = base(t) + "/" + id;
        String viewer = AdminTokens.token("v", "tenant-viewer:" + t);
        as(viewer).get(base(t)).then().statusCode(200);
        as(viewer).get(path).then().statusCode(200);
        problem(as(viewer).body("{\"issuer\": \"https://v.example.test\"}").post(base(t)), 403);
        problem(as(viewer).header("If-Match", "\"0\"").body(issuer()).put(path), 403);
        problem(as(viewer).header("If-Match", "\"0\"").delete(path), 403);
        String acmeAdmin = AdminTokens.token("a", "tenant-admin:acme");
        problem(as(acmeAdmin).get(base(t)), 404);
        problem(as(acmeAdmin).get(path), 404);
        problem(as(acmeAdmin).body("{\"issuer\": \"https://a.example.test\"}").post(base(t)), 404);
        problem(as(acmeAdmin).header("If-Match", "\"0\"").delete(path), 404);
        // Ids are per tenant: acme's path with t's id finds nothing.
        problem(as(AdminTokens.admin()).get(base("acme") + "/" + id), 404);
        problem(as(AdminTokens.admin()).get(base(t) + "/not-a-uuid"), 404);
        problem(as(AdminTokens.admin()).get(base(t) + "/" + UUID.randomUUID()), 404);
        assertThat(count("SELECT count(*) FROM trusted_issuer WHERE tenant_id = ? AND version = 0", t)).isEqualTo(1);
    }

    @Test
    void bootstrapIssuersWhenListedThenShownWithIds() {
        JsonPath list = as(AdminTokens.admin()).get(base("acme")).then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("issuer", String.class)).contains(IDP.issuer(), IDP.rotatingIssuer());
        assertThat(list.getList("id", String.class)).allSatisfy(id -> assertThat(UUID.fromString(id)).isNotNull());
        assertThat(list.getList("find { it.issuer == '" + IDP.rotatingIssuer() + "' }.algorithms", String.class))
                .containsExactly("ES256");
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
