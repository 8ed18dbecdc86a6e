package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.createPolicy;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * HTTP semantics of the admin API's writes: {@code Location} from {@code kerbex.public-url} whatever the
 * {@code Host} header says, and RFC 9110 §13.1.1 {@code If-Match} ({@code *}, lists, strong comparison).
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminPreconditionsTest {
    static final String PUBLIC_URL = ConfigProvider.getConfig().getValue("kerbex.public-url", String.class);

    static final String EDITED = AdminApiTest.ANY_POLICY.replace("PT5M", "PT2M");

    @Test
    void createWhenHostHeaderIsForeignThenLocationIsUnderThePublicUrl() {
        String t = newTenant();
        Response created = as(AdminTokens.admin()).header("Host", "evil.example").body(AdminApiTest.ANY_POLICY.formatted("p"))
                .post("/admin/v1/tenants/" + t + "/policies");
        created.then().statusCode(201);
        assertThat(created.header("Location"))
                .isEqualTo(PUBLIC_URL + "/admin/v1/tenants/" + t + "/policies/" + created.jsonPath().getString("id"));

        String client = "cl-" + UUID.randomUUID().toString().substring(0, 8);
        Response c = as(AdminTokens.admin()).header("Host", "evil.example")
                .body("{\"client_id\": \"" + client + "\"}").post("/admin/v1/tenants/" + t + "/clients");
        c.then().statusCode(201);
        assertThat(c.header("Location")).isEqualTo(PUBLIC_URL + "/admin/v1/tenants/" + t + "/clients/" + client);
        Response tenant = as(AdminTokens.admin()).header("Host", "evil.example")
                .body("{\"id\": \"loc-" + client + "\", \"realms\": [\"EXAMPLE.TEST\"]}").post("/admin/v1/tenants");
        tenant.then().statusCode(201);
        assertThat(tenant.header("Location")).isEqualTo(PUBLIC_URL + "/admin/v1/tenants/loc-" + client);
    }

    @Test
    void updateWhenIfMatchIsStarOnAnExistingResourceThenDone() {
        String t = newTenant();
        String path = policy(t);
        as(AdminTokens.admin()).header("If-Match", "*").body(EDITED.formatted("p")).put(path).then().statusCode(200)
                .header("ETag", "\"2\"");
        as(AdminTokens.admin()).header("If-Match", "*")
                .body("{\"realms\": [\"EXAMPLE.TEST\"], \"max_token_lifetime\": \"PT20M\"}")
                .put("/admin/v1/tenants/" + t).then().statusCode(200).header("ETag", "\"1\"");
        as(AdminTokens.admin()).header("If-Match", "*").delete(path).then().statusCode(204);
        // A deleted policy is no longer a current resource to PUT: 404 (a restore names its deletion revision).
        problem(as(AdminTokens.admin()).header("If-Match", "*").body(EDITED.formatted("p")).put(path), 404);
    }

    @Test
    void updateWhenIfMatchListsSeveralTagsAndOneIsCurrentThenDone() {
        String t = newTenant();
        String path = policy(t);
        as(AdminTokens.admin()).header("If-Match", "\"9\", \"1\"").body(EDITED.formatted("p")).put(path).then()
                .statusCode(200).header("ETag", "\"2\"");
        problem(as(AdminTokens.admin()).header("If-Match", "\"9\", \"1\"").body(EDITED.formatted("p")).put(path), 412);
        as(AdminTokens.admin()).header("If-Match", "\"1\",\"2\"").delete(path).then().statusCode(204);
    }

    @Test
    void updateWhenIfMatchTagIsWeakOrMalformedThenPreconditionFailed() {
        String t = newTenant();
        String path = policy(t);
        // RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag never matches, even of the current revision.
        problem(as(AdminTokens.admin()).header("If-Match", "W/\"1\"").body(EDITED.formatted("p")).put(path), 412);
        problem(as(AdminTokens.admin()).header("If-Match", "1").body(EDITED.formatted("p")).put(path), 412);
        problem(as(AdminTokens.admin()).header("If-Match", "\"1").body(EDITED.formatted("p")).put(path), 412);
        problem(as(AdminTokens.admin()).header("If-Match", "\"1\"x").body(EDITED.formatted("p")).put(path), 412);
        problem(as(AdminTokens.admin()).header("If-Match", "\"01\"").body(EDITED.formatted("p")).put(path), 412);
        as(AdminTokens.admin()).get(path).then().statusCode(200).header("ETag", "\"1\"");
    }

    private static String policy(String tenant) {
        Response created = createPolicy(tenant, "p");
        created.then().statusCode(201).header("ETag", "\"1\"");
        return "/admin/v1/tenants/" + tenant + "/policies/" + created.jsonPath().getString("id");
    }
}
