package dev.kerbex.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.KerbexProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged service with {@code kerbex.log.json=true} and {@code kerbex.log.access=true} (KERBEX_LOG_JSON,
 * KERBEX_LOG_ACCESS), as an operator turns them on: every line of its output is one JSON object, the lines logged while
 * an exchange is handled carry its request id, tenant and client, and neither the subject token, the client secret,
 * the Authorization header nor a query-string secret appears anywhere in the log.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsonLogsIT {
    static final String TENANT = "logs";
    static final String CLIENT = "app-1";
    static final String SECRET = "app-1-secret-LOGCANARY-0123456789";
    static final String SUBJECT_TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJUT0tFTkNBTkFSWSJ9.c2lnbmF0dXJlQ0FOQVJZ";
    static final String QUERY_SECRET = "QUERYCANARY-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedDatabase db;
    static KerbexProcess kerbex;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedDatabase.startTemporary();
        Path bootstrap = Files.createDirectories(Path.of("target", "json-logs-it")).resolve("tenants.json");
        Files.writeString(bootstrap, """
                {"tenants": [{"id": "%s", "realms": ["CORP.EXAMPLE.TEST"],
                  "clients": [{"client_id": "%s", "secret": "%s"}]}]}
                """.formatted(TENANT, CLIENT, SECRET), StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        kerbex = KerbexProcess.start("json-logs-it", Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                "kerbex.bootstrap-file", bootstrap.toAbsolutePath().toString(),
                "kerbex.key-encryption-key", Base64.getEncoder().encodeToString(kek),
                "kerbex.demo.enabled", "false",
                "kerbex.log.json", "true",
                "kerbex.log.access", "true",
                "quarkus.log.category.\"dev.kerbex\".level", "DEBUG"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kerbex != null) {
            kerbex.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void logsWhenJsonOnAndExchangeRefusedThenJsonLinesWithIdsAndNoSecret() throws Exception {
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(SUBJECT_TOKEN)
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt")
                + "&audience=" + enc("https://api.example.test");
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(kerbex.baseUrl() + "/tenants/" + TENANT + "/oauth2/token?access_token=" + QUERY_SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic)
                .header("X-Request-Id", "json-logs-it-1")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        // The subject token is a well-formed JWT with a signature of the wrong length: refused before any key lookup.
        assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo("invalid_request");

        List<JsonNode> lines = awaitLines(l -> l.path("loggerName").asText().equals("io.quarkus.http.access-log")
                && l.path("message").asText().contains("request_id=json-logs-it-1"));

        // The refusal, logged while the request was handled, names the request, the tenant and the client.
        JsonNode refusal = lines.stream().filter(l -> l.path("message").asText().startsWith("exchange refused"))
                .findFirst().orElseThrow(() -> new AssertionError("no refusal line in:\n" + lines));
        assertThat(refusal.path("message").asText()).isEqualTo("exchange refused: invalid_request");
        assertThat(refusal.path("mdc").path("request_id").asText()).isEqualTo("json-logs-it-1");
        assertThat(refusal.path("mdc").path("tenant").asText()).isEqualTo(TENANT);
        assertThat(refusal.path("mdc").path("client_id").asText()).isEqualTo(CLIENT);
        assertThat(refusal.path("level").asText()).isEqualTo("DEBUG");

        // The access log: method, path without its query, status, and the request id.
        JsonNode access = lines.stream().filter(l -> l.path("loggerName").asText().equals("io.quarkus.http.access-log")
                && l.path("message").asText().contains("json-logs-it-1")).findFirst().orElseThrow();
        assertThat(access.path("message").asText()).contains("\"POST /tenants/logs/oauth2/token HTTP/1.1\" 400")
                .matches(".* 400 \\d+ \\d+ request_id=json-logs-it-1$");

        String log = kerbex.log();
        assertThat(log).doesNotContain(SUBJECT_TOKEN).doesNotContain("TOKENCANARY").doesNotContain("LOGCANARY")
                .doesNotContain(QUERY_SECRET).doesNotContain(basic).doesNotContain("access_token=");
    }

    /** Every line of the log parsed as JSON (it fails on the first that is not), once one matches {@code until}. */
    private static List<JsonNode> awaitLines(java.util.function.Predicate<JsonNode> until) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            List<JsonNode> parsed = new ArrayList<>();
            for (String line : kerbex.log().split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node;
                    try {
                        node = JSON.readTree(line);
                    } catch (Exception e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                    assertThat(node.isObject()).as(line).isTrue();
                    parsed.add(node);
                }
            }
            if (parsed.stream().anyMatch(until)) {
                return parsed;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the awaited line never came:\n" + kerbex.log());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
