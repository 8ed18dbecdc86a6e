package dev.kerbex.endpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.ManagementPort;
import dev.kerbex.testing.RawHttp;
import dev.kerbex.testing.TokenRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defects 2 and 5 and the security headers: stalled bodies do not hold worker threads, the HTTP layer's
 * refusals come in the endpoint's format, and every answer carries the headers it should. Raw sockets where an HTTP
 * client would not send what is tested. The test profile's body idle timeout is 2 s.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class HttpHardeningTest {
    private static final String TOKEN = "/tenants/" + KerbexTestResource.TENANT + "/oauth2/token";
    /** More stalled bodies than the worker pool has threads (200 by default). */
    private static final int STALLED = 220;

    private static String stalledHead(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 100000\r\n\r\ngrant_type=urn";
    }

    @Test
    void exchangeWhenManyBodiesStallThenValidRequestsAndReadinessStillAnswered() throws Exception {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED; i++) {
                stalled.add(RawHttp.connect(RestAssured.port).send(stalledHead(TOKEN)));
            }
            // Bounded waits: a starved service would leave these hanging until the stalled reads time out.
            int ready = CompletableFuture.supplyAsync(() -> ManagementPort.given().get("/q/health/ready").statusCode())
                    .get(30, TimeUnit.SECONDS);
            assertThat(ready).isEqualTo(200);
            int issued = CompletableFuture.supplyAsync(() -> TokenRequests.aliceForLedger().billing().post().statusCode())
                    .get(30, TimeUnit.SECONDS);
            assertThat(issued).isEqualTo(200);
        } finally {
            for (RawHttp s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void exchangeWhenHttp2CleartextUpgradeThenStillServed() throws Exception {
        // The JDK client asks to upgrade to h2c; h2c is off (HttpFraming), so it stays on HTTP/1.1 and is served.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + RestAssured.port + TOKEN))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            (KerbexTestResource.BILLING + ":" + KerbexTestResource.BILLING_SECRET).getBytes()))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TokenRequests.aliceForLedger().body()))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    @Test
    void exchangeWhenBodyStopsArrivingThen408AndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(stalledHead(TOKEN)).read();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.body()).isEqualTo(
                    "{\"error\":\"invalid_request\",\"error_description\":\"request body: not received in time\"}");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void adminWhenBodyStopsArrivingThen408ProblemAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(stalledHead("/admin/v1/tenants").replace(
                    "application/x-www-form-urlencoded", "application/json")).read();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).contains("\"status\":408").doesNotContain("stack");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void exchangeWhenChunkedBodyOverLimitThenInvalidRequestAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            http.send("POST " + TOKEN + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            String chunk = "a".repeat(64 * 1024);
            RawHttp.Answer answer = null;
            try {
                for (int i = 0; i < 20; i++) {
                    http.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
                }
            } catch (IOException closedWhileSending) {
                // the server may close before all of it is sent; the answer is already waiting
            }
            answer = http.read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.body()).isEqualTo(
                    "{\"error\":\"invalid_request\",\"error_description\":\"request body exceeds 65536 bytes\"}");
        }
    }

    @Test
    void exchangeWhenPathEscapesTenantThenOAuthErrorNotQuarkusPage() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST /tenants/../oauth2/token HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b").read();
            assertThat(answer.status()).isBetween(400, 404);
            assertThat(answer.header("Content-Type")).startsWith("application/");
            assertThat(answer.body()).doesNotContain("details").doesNotContain("stack");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void exchangeWhenHostNotAsciiOrFoldedThenOAuthErrorNotQuarkusPage() throws IOException {
        String form = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b";
        for (String host : List.of("Host: k\u00e9rbex\r\n", "Host: localhost\r\n  example\r\n")) {
            try (RawHttp http = RawHttp.connect(RestAssured.port)) {
                RawHttp.Answer answer = http.send("POST " + TOKEN + " HTTP/1.1\r\n" + host + form).read();
                assertThat(answer.status()).isEqualTo(400);
                assertThat(answer.header("Content-Type")).isEqualTo("application/json");
                assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
                assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
                assertThat(answer.body()).isEqualTo(
                        "{\"error\":\"invalid_request\",\"error_description\":\"request: malformed\"}");
            }
        }
    }

    @Test
    void everyAnswerWhenPlainHttpThenNosniffAndNoHsts() {
        given().get("/tenants/" + KerbexTestResource.TENANT + "/oauth2/jwks").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("Strict-Transport-Security", (String) null);
        given().get("/.well-known/oauth-authorization-server/tenants/" + KerbexTestResource.TENANT).then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff");
        given().get("/openapi.yaml").then().statusCode(200).header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void oauthAndAdminAnswersWhenAnyOutcomeThenNoStore() {
        TokenRequests.exchange().post().then().statusCode(400)
                .header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
        given().contentType("application/x-www-form-urlencoded").body("token=x")
                .post("/tenants/" + KerbexTestResource.TENANT + "/oauth2/introspect")
                .then().statusCode(401).header("Cache-Control", "no-store");
        given().get("/admin/v1/tenants").then().statusCode(401)
                .header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
    }
}
