package dev.kerbex.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.ManagementPort;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console's HTTP side: its security headers, its sign-in configuration, and the redirect to /console/. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class ConsoleRoutesTest {

    @Test
    void consolePageWhenReadThenStrictCspAndNoInlineScript() {
        given().get("/console/").then().statusCode(200)
                .header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer")
                .body(containsString("<script type=\"module\" src=\"app.js\"></script>"), not(containsString("<script>")));
        given().get("/console/app.js").then().statusCode(200).header("Content-Security-Policy", containsString("'self'"));
    }

    @Test
    void consoleWithoutSlashThenRedirectedToConsole() {
        given().redirects().follow(false).get("/console").then().statusCode(301).header("Location", "/console/");
    }

    @Test
    void configWhenNoIdentityProviderThenOidcNull() {
        given().get("/console/config.json").then().statusCode(200).contentType("application/json")
                .body(org.hamcrest.Matchers.equalTo("{\"oidc\":null}"));
    }

    @Test
    void swaggerUiWhenOpenedThenItLoadsTheHandWrittenDocument() {
        // On the management interface (not the public port), with the document it reads served beside it.
        ManagementPort.given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("/openapi.yaml"));
        ManagementPort.given().get("/openapi.yaml").then().statusCode(200).body(containsString("title: Kerbex"));
        given().get("/q/swagger-ui/").then().statusCode(404);
        given().get("/openapi.yaml").then().statusCode(200).body(containsString("title: Kerbex"));
        given().get("/q/openapi").then().statusCode(404); // nothing generated beside the document as written
    }

    @Test
    void cspWhenIdentityProviderConfiguredThenItsOriginMayBeCalled() {
        assertThat(ConsoleRoutes.contentSecurityPolicy(ConsoleRoutes.origin("https://idp.example.com:8443/realms/ops")))
                .contains("connect-src 'self' https://idp.example.com:8443;");
        assertThat(ConsoleRoutes.origin("https://IdP.example.com/realms/ops")).contains("https://IdP.example.com");
        assertThat(ConsoleRoutes.origin("javascript:alert(1)")).isEmpty();
        assertThat(ConsoleRoutes.origin("not a url")).isEmpty();
        assertThat(ConsoleRoutes.contentSecurityPolicy(Optional.empty())).contains("connect-src 'self';");
    }
}
