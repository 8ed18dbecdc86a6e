package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /admin/v1/tenants/{t}/keys}: listing without private material, rotation without downtime (SPEC §8, §9). */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminKeysTest {
    static final String KEYS = "/admin/v1/tenants/acme/keys";

    @Test
    void rotateWhenTokenIssuedBeforeThenOldTokenStillVerifiesAndNewTokenCarriesNewKid() throws Exception {
        String before = aliceForLedger().billing().post().then().statusCode(200).extract().path("access_token");
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

        Response rotated = as(AdminTokens.token("acme-admin", "tenant-admin:acme")).post(KEYS + "/rotate");
        rotated.then().statusCode(201).header("Cache-Control", "no-store");
        String newKid = rotated.jsonPath().getString("kid");
        assertThat(newKid).isNotBlank().isNotEqualTo(oldKid);
        assertThat(rotated.jsonPath().getString("status")).isEqualTo("active");
        assertThat(rotated.jsonPath().getString("algorithm")).isEqualTo("ES256");

        JWKSet jwks = JWKSet.parse(given().get("/tenants/acme/oauth2/jwks").then().statusCode(200).extract().asString());
        assertThat(jwks.getKeys()).extracting(JWK::getKeyID).contains(oldKid, newKid);
        assertThat(verifies(before, jwks)).as("a token signed before the rotation verifies against the JWKS").isTrue();

        String after = aliceForLedger().billing().post().then().statusCode(200).extract().path("access_token");
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(verifies(after, jwks)).isTrue();

        JsonPath listed = as(AdminTokens.token("viewer", "tenant-viewer:acme")).get(KEYS).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> keys = listed.getList("$");
        assertThat(keys.get(0)).containsEntry("kid", newKid).containsEntry("status", "active")
                .doesNotContainKey("retired_at").doesNotContainKey("published_until");
        Map<String, Object> old = keys.stream().filter(k -> oldKid.equals(k.get("kid"))).findFirst().orElseThrow();
        assertThat(old).containsEntry("status", "retired");
        Instant retiredAt = Instant.parse((String) old.get("retired_at"));
        Instant publishedUntil = Instant.parse((String) old.get("published_until"));
        // acme's longest token lifetime: the old key stays published until every token it signed has expired
        String lifetime = as(AdminTokens.admin()).get("/admin/v1/tenants/acme").jsonPath().getString("max_token_lifetime");
        assertThat(Duration.between(retiredAt, publishedUntil)).isEqualTo(Duration.parse(lifetime));
        List<Instant> created = keys.stream().map(k -> Instant.parse((String) k.get("created_at"))).toList();
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        for (Map<String, Object> k : keys) {
            assertThat(k.keySet()).isSubsetOf("kid", "algorithm", "status", "created_at", "retired_at", "published_until");
        }

        JsonPath audit = as(AdminTokens.admin()).get("/admin/v1/tenants/acme/audit-events?kind=admin&limit=1").jsonPath();
        assertThat(audit.getString("events[0].actor")).isEqualTo("acme-admin");
        assertThat(audit.getString("events[0].outcome")).isEqualTo("success");
        assertThat(audit.getString("events[0].details.action")).isEqualTo("rotate");
        assertThat(audit.getString("events[0].details.kid")).isEqualTo(newKid);
        assertThat(audit.getString("events[0].details.previous_kid")).isEqualTo(oldKid);
    }

    @Test
    void keysWhenViewerRotatesOrOtherTenantThenRefusedAndNothingRotates() {
        String t = newTenant();
        String base = "/admin/v1/tenants/" + t + "/keys";
        List<Object> kids = as(AdminTokens.token("v", "tenant-viewer:" + t)).get(base).then().statusCode(200).extract()
                .jsonPath().getList("kid");
        assertThat(kids).hasSize(1);
        problem(as(AdminTokens.token("v", "tenant-viewer:" + t)).post(base + "/rotate"), 403);
        problem(as(AdminTokens.token("a", "tenant-admin:acme")).post(base + "/rotate"), 404);
        problem(as(AdminTokens.token("a", "tenant-admin:acme")).get(base), 404);
        problem(as(AdminTokens.admin()).get("/admin/v1/tenants/nosuch/keys"), 404);
        assertThat(as(AdminTokens.admin()).get(base).jsonPath().getList("kid")).isEqualTo(kids);
        given().post(base + "/rotate").then().statusCode(401);

        as(AdminTokens.token("ta", "tenant-admin:" + t)).post(base + "/rotate").then().statusCode(201);
        as(AdminTokens.admin()).post(base + "/rotate").then().statusCode(201);
        List<String> statuses = as(AdminTokens.admin()).get(base).jsonPath().getList("status");
        assertThat(statuses).containsExactly("active", "retired", "retired");
        String body = as(AdminTokens.admin()).get(base).asString();
        assertThat(body).doesNotContain("private").doesNotContain("\"d\"");
    }

    private static boolean verifies(String token, JWKSet jwks) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        return jwt.verify(new ECDSAVerifier(jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey()));
    }
}
