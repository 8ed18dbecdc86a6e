package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.ANY_POLICY;
import static dev.kerbex.admin.AdminApiTest.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.bootstrap.BootstrapLoader;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SPEC §12 as README "Admin API" states it: the bootstrap file, re-applied at every start, wins for the objects it
 * names (an API edit to one of them is reverted), and objects it does not name are kept.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminBootstrapPrecedenceTest {
    @Inject
    BootstrapLoader loader;

    @Test
    void fileReappliedWhenApiEditedAnObjectItNamesThenFileWinsAndApiOnlyObjectsStay() throws Exception {
        String t = "boot-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.createTempFile("kerbex-precedence", ".json");
        Files.writeString(file, """
                {"tenants": [{"id": "%s", "realms": ["EXAMPLE.TEST"], "policies": [%s]}]}"""
                .formatted(t, ANY_POLICY.formatted("from-file")), StandardCharsets.UTF_8);
        loader.apply(file); // the first start
        String admin = AdminTokens.admin();
        String base = "/admin/v1/tenants/" + t + "/policies";
        String fromFile = as(admin).get(base).then().statusCode(200).extract().path("find { it.name == 'from-file' }.id");
        as(admin).header("If-Match", "\"1\"").body(ANY_POLICY.formatted("from-file").replace("PT5M", "PT1M"))
                .put(base + "/" + fromFile).then().statusCode(200);
        as(admin).body(ANY_POLICY.formatted("from-api")).post(base).then().statusCode(201);

        loader.apply(file); // the next start

        JsonPath policies = as(admin).get(base).then().statusCode(200).extract().jsonPath();
        assertThat(policies.getList("name", String.class)).containsExactly("from-api", "from-file");
        assertThat(policies.getString("find { it.name == 'from-file' }.grant.max_lifetime")).isEqualTo("PT5M");
        JsonPath history = as(admin).get(base + "/" + fromFile + "/revisions").then().statusCode(200).extract()
                .jsonPath();
        assertThat(history.getList("author", String.class)).containsExactly("bootstrap-file", "root-admin",
                "bootstrap-file");
        Files.delete(file);
    }
}
