package dev.kerbex.testing;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics) of the {@code @QuarkusTest} application. */
public final class ManagementPort {
    private ManagementPort() {
    }

    public static RequestSpecification given() {
        URI u = URI.create(TestHTTPResourceManager.getManagementUri());
        return RestAssured.given().baseUri(u.getScheme() + "://" + u.getHost()).port(u.getPort());
    }
}
