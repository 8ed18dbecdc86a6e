package dev.kerbex.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health and metrics answer on the management port only, and readiness names what it looked at. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class ManagementInterfaceTest {
    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** The management interface's own scheme, host and port (the injected URL also carries its root path). */
    private io.restassured.specification.RequestSpecification management() {
        return given().baseUri(management.getProtocol() + "://" + management.getHost()).port(management.getPort());
    }

    @Test
    void healthAndMetricsWhenAskedOnThePublicPortThenNotFound() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void readinessWhenKeytabAndDatabaseFineThenUpWithEveryCheck() {
        management().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'keytab' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'keytab' }.data.principals", greaterThan(0))
                .body("checks.find { it.name == 'change-feed' }.data.listening", equalTo(true))
                .body("checks.find { it.name == 'trusted-issuer-jwks' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'key-ages' }.data.warnings", equalTo(0))
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"));
        management().get("/q/health/live").then().statusCode(200);
        management().get("/q/health/started").then().statusCode(200);
    }
}
