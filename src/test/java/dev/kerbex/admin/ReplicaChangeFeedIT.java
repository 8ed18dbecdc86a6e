package dev.kerbex.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.TestJwksServer;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two replicas of the packaged service on one PostgreSQL (SPEC §7: an edit is honoured by the next token request
 * on every replica). A policy edited through replica A changes what replica B's token endpoint grants. Both run
 * with a one-hour tenant cache, so B can only see the edit through the change feed (LISTEN/NOTIFY), never by its
 * cache expiring: the tests wait for that condition and assert no time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReplicaChangeFeedIT {
    static final String TENANT = "replicas";
    static final String CLIENT = "app";
    static final String CLIENT_SECRET = "app-secret-0123456789";
    static final String AUDIENCE = "https://api.example.test";
    static final String ADMIN_ISSUER = "https://admin-idp.example.test";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static EmbeddedDatabase db;
    static TestJwksServer idp;
    static ECKey idpKey;
    static RSAKey adminKey;
    static KerbexProcess a;
    static KerbexProcess b;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (mvn package runs before failsafe)").exists();
        Path dir = Files.createDirectories(Path.of("target", "replica-it"));
        db = EmbeddedDatabase.startTemporary();
        idp = TestJwksServer.start();
        idpKey = new ECKeyGenerator(Curve.P_256).keyID("it-key").algorithm(JWSAlgorithm.ES256).generate();
        idp.answer("/idp/jwks", TestJwksServer.Answer.json(new JWKSet(idpKey.toPublicJWK()).toString()));
        adminKey = new RSAKeyGenerator(2048).generate();

        Path bootstrap = dir.resolve("tenants.json");
        Files.writeString(bootstrap, """
                {"tenants": [{"id": "%s", "realms": ["EXAMPLE.TEST"],
                  "clients": [{"client_id": "%s", "secret": "%s"}],
                  "trusted_issuers": [{"issuer": "%s", "jwks_uri": "%s"}],
                  "policies": [%s]}]}""".formatted(TENANT, CLIENT, CLIENT_SECRET, idp.url("/idp"),
                idp.url("/idp/jwks"), policy("api:read")), StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        String keyEncryptionKey = Base64.getEncoder().encodeToString(kek);

        // A applies the migrations and the bootstrap file; B starts once A is ready, without the file.
        a = launch("a", keyEncryptionKey, bootstrap);
        b = launch("b", keyEncryptionKey, null);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (KerbexProcess r : new KerbexProcess[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        if (idp != null) {
            idp.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void policyEditedOnReplicaAThenReplicaBHonoursItThroughTheChangeFeed() throws Exception {
        assertThat(grantedScope(b)).isEqualTo("api:read"); // B now holds the tenant in its one-hour cache
        assertThat(grantedScope(a)).isEqualTo("api:read");

        editDefaultScopeThroughA("api:write");

        awaitChangeOnB("api:write");
        assertThat(grantedScope(a)).isEqualTo("api:write");
    }

    @Test
    @Order(2)
    void listenerConnectionKilledThenReplicasReconnectAndStillHearEdits() throws Exception {
        assertThat(listeners()).isEqualTo(2);
        try (Connection c = database(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kerbex-change-feed'");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (listeners() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(listeners()).as("both replicas listen again").isEqualTo(2);

        assertThat(grantedScope(b)).isEqualTo("api:write"); // cached again on B
        editDefaultScopeThroughA("api:read");
        awaitChangeOnB("api:read");
    }

    /**
     * Waits until B's token endpoint grants {@code expected}; fails after a deadline far inside B's cache lifetime,
     * so that only the change feed can have told B.
     */
    private static void awaitChangeOnB(String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String scope = grantedScope(b);
        while (!expected.equals(scope) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scope = grantedScope(b);
        }
        assertThat(scope).as("replica B's granted scope after the edit on A").isEqualTo(expected);
    }

    private static void editDefaultScopeThroughA(String scope) throws Exception {
        HttpResponse<String> list = send(a, HttpRequest.newBuilder(a.uri("/admin/v1/tenants/" + TENANT + "/policies"))
                .header("Authorization", "Bearer " + adminToken()).GET());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode policy = JSON.readTree(list.body()).get(0);
        String path = "/admin/v1/tenants/" + TENANT + "/policies/" + policy.get("id").asText();
        HttpResponse<String> put = send(a, HttpRequest.newBuilder(a.uri(path))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .header("If-Match", "\"" + policy.get("revision").asInt() + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(policy(scope))));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    /** The scope a token request to {@code replica} is granted (no scope asked: the policy's default scopes). */
    private static String grantedScope(KerbexProcess replica) throws Exception {
        Instant now = Instant.now();
        SignedJWT subject = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(idpKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(idp.url("/idp")).subject("alice").audience(CLIENT)
                        .claim("scope", "api:read api:write").issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))).build());
        subject.sign(new com.nimbusds.jose.crypto.ECDSASigner(idpKey));
        String form = form(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "subject_token", subject.serialize(),
                "audience", AUDIENCE));
        String basic = Base64.getEncoder().encodeToString((CLIENT + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(replica, HttpRequest.newBuilder(replica.uri("/tenants/" + TENANT + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(r.statusCode()).as("token request to replica " + replica.name() + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("scope").asText();
    }

    static String policy(String defaultScope) {
        return """
                {"name": "reads", "effect": "allow", "priority": 10,
                 "match": {"clients": ["%s"], "subject_token_types": ["urn:ietf:params:oauth:token-type:jwt"],
                           "issuers": ["%s"], "subjects": ["alice"], "audiences": ["%s"]},
                 "grant": {"scopes": ["api:read", "api:write"], "default_scopes": ["%s"], "max_lifetime": "PT5M"}}"""
                .formatted(CLIENT, idp.url("/idp"), AUDIENCE, defaultScope);
    }

    private static String adminToken() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().issuer(ADMIN_ISSUER)
                .subject("it-admin").claim("roles", List.of("kerbex-admin")).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(adminKey));
        return jwt.serialize();
    }

    private static KerbexProcess launch(String name, String keyEncryptionKey, Path bootstrap) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                "kerbex.key-encryption-key", keyEncryptionKey,
                "kerbex.demo.enabled", "false",
                // Far longer than the test waits: B can only see an edit in time through the change feed.
                "kerbex.tenant-cache-ttl", "3600s",
                "quarkus.oidc.public-key", Base64.getEncoder().encodeToString(adminKey.toPublicKey().getEncoded()),
                "quarkus.oidc.token.issuer", ADMIN_ISSUER));
        if (bootstrap != null) {
            props.put("kerbex.bootstrap-file", bootstrap.toAbsolutePath().toString());
        }
        return KerbexProcess.start("replica-it-" + name, props);
    }

    private static HttpResponse<String> send(KerbexProcess r, HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long listeners() throws Exception {
        try (Connection c = database(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kerbex-change-feed'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    private static String form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }
}
