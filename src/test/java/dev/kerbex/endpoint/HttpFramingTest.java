package dev.kerbex.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 5: HTTP/1.1 framing (RFC 9112 §6.1) and the refusals of Netty's decoder, in the endpoint's format.
 * Raw sockets: no HTTP client sends these.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class HttpFramingTest {
    private static final String TOKEN = "/tenants/" + KerbexTestResource.TENANT + "/oauth2/token";
    private static final String CONFLICT = "{\"error\":\"invalid_request\",\"error_description\":"
            + "\"request: both Content-Length and Transfer-Encoding\"}";
    /** A request hidden in the chunked body, which a proxy framing by Content-Length would not see. */
    private static final String SMUGGLED = "0\r\n\r\nGET /no-such-path HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private static String both(String version) {
        return "POST " + TOKEN + " " + version + "\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + SMUGGLED.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + SMUGGLED;
    }

    private static void assertConflictRefusedAndClosed(RawHttp http) throws IOException {
        RawHttp.Answer answer = http.read();
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("Connection")).isEqualTo("close");
        assertThat(answer.body()).isEqualTo(CONFLICT);
        // Nothing else: the smuggled request is never answered.
        assertThat(http.closedByServer()).isTrue();
    }

    @Test
    void exchangeWhenContentLengthAndChunkedThenInvalidRequestAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            assertConflictRefusedAndClosed(http.send(both("HTTP/1.1")));
        }
    }

    @Test
    void exchangeWhenContentLengthAndChunkedOnHttp10ThenInvalidRequestAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            assertConflictRefusedAndClosed(http.send(both("HTTP/1.0")));
        }
    }

    @Test
    void exchangeWhenConflictFollowsAnAnsweredRequestOnTheSameConnectionThenRefusedToo() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer first = http.send("GET /openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).isNull();
            assertConflictRefusedAndClosed(http.send(both("HTTP/1.1")));
        }
    }

    @Test
    void exchangeWhenHeaderSectionTooLargeThenOAuthErrorAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST " + TOKEN + " HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
                    + "a".repeat(40 * 1024) + "\r\nContent-Length: 3\r\n\r\na=b").read();
            assertThat(answer.status()).isEqualTo(431);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.body()).isEqualTo(
                    "{\"error\":\"invalid_request\",\"error_description\":\"request headers too large\"}");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void exchangeWhenNulInHeaderThenOAuthErrorAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST " + TOKEN + " HTTP/1.1\r\nHost: localhost\r\nX-Test: a\u0000b\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b").read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.body()).isEqualTo(
                    "{\"error\":\"invalid_request\",\"error_description\":\"request: malformed\"}");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void anyRequestWhenUriTooLongThenProblemAndClosed() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("GET " + TOKEN + "?x=" + "a".repeat(8 * 1024)
                    + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            // The request line was never read, so its path is unknown: problem+json, not the OAuth format.
            assertThat(answer.status()).isEqualTo(414);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"URI Too Long\",\"status\":414,"
                    + "\"detail\":\"request URI too long\"}");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void exchangeWhenPathEscapesTenantThen404Problem() throws IOException {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST /tenants/../oauth2/token HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b").read();
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).doesNotContain("details").doesNotContain("stack").contains("\"status\":404");
        }
    }
}
