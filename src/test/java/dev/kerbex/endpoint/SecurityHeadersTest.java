package dev.kerbex.endpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TokenRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's security headers swept over the public port: {@code X-Content-Type-Options: nosniff} on every answer,
 * {@code Cache-Control: no-store} on every OAuth and admin answer (success, error, 404, 405) and on every error
 * anywhere; no HSTS over plain HTTP (the TLS side: {@code MutualTlsTest}).
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class SecurityHeadersTest {
    static final String T = "/tenants/acme/oauth2/";

    record Call(String name, boolean noStore, Supplier<Response> call) {
    }

    static List<Call> calls() {
        String admin = AdminTokens.admin();
        return List.of(
                new Call("token 200", true, () -> TokenRequests.aliceForLedger().billing().spec().post(T + "token")),
                new Call("token 400", true, () -> given().contentType("application/x-www-form-urlencoded")
                        .body("grant_type=password").post(T + "token")),
                new Call("token 401", true, () -> TokenRequests.aliceForLedger().basic("billing", "wrong-secret-0123")
                        .spec().post(T + "token")),
                new Call("token 405", true, () -> given().get(T + "token")),
                new Call("token of no tenant", true, () -> TokenRequests.aliceForLedger().billing().spec()
                        .post("/tenants/nope/oauth2/token")),
                new Call("introspect 401", true, () -> given().contentType("application/x-www-form-urlencoded")
                        .body("token=x").post(T + "introspect")),
                new Call("revoke 405", true, () -> given().get(T + "revoke")),
                new Call("oauth2 404", true, () -> given().get(T + "nothing-here")),
                new Call("admin 200", true, () -> given().auth().oauth2(admin).get("/admin/v1/tenants/acme/clients")),
                new Call("admin 401", true, () -> given().get("/admin/v1/tenants/acme/clients")),
                new Call("admin 404", true, () -> given().auth().oauth2(admin).get("/admin/v1/tenants/acme/nothing")),
                new Call("admin 405", true, () -> given().auth().oauth2(admin).delete("/admin/v1/tenants/acme/evaluate")),
                new Call("metadata 200", false, () -> given().get("/.well-known/oauth-authorization-server/tenants/acme")),
                new Call("jwks 200", false, () -> given().get(T + "jwks")),
                new Call("any 404", true, () -> given().get("/no/such/page")),
                new Call("openapi.yaml", false, () -> given().get("/openapi.yaml")));
    }

    @Test
    void everyAnswerWhenSweptThenCarriesTheSecurityHeaders() {
        for (Call c : calls()) {
            Response r = c.call().get();
            assertThat(r.header("X-Content-Type-Options")).as(c.name()).isEqualTo("nosniff");
            assertThat(r.header("Strict-Transport-Security")).as(c.name() + ": HSTS over plain HTTP").isNull();
            if (c.noStore()) {
                assertThat(r.header("Cache-Control")).as(c.name() + " (" + r.statusCode() + ")").isEqualTo("no-store");
            }
            if (r.statusCode() >= 400) {
                assertThat(r.header("Cache-Control")).as(c.name() + ": an error").isEqualTo("no-store");
            }
        }
    }
}
