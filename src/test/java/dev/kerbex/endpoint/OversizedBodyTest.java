package dev.kerbex.endpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Bodies beyond what the HTTP layer buffers still get the token endpoint's answer, not a bare 413. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class OversizedBodyTest {

    @Test
    void exchangeWhenBodyBeyondOneMebibyteThenInvalidRequest() {
        String body = "a".repeat(2 * 1024 * 1024);
        given().contentType("application/x-www-form-urlencoded").body(body)
                .post("/tenants/acme/oauth2/token")
                .then().statusCode(400)
                .header("Cache-Control", "no-store")
                .contentType("application/json")
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("request body exceeds 65536 bytes"));
    }

    @Test
    void jwksWhenLargeRequestToOtherPathThenUnaffected() {
        given().get("/tenants/" + KerbexTestResource.TENANT + "/oauth2/jwks").then().statusCode(200);
    }
}
