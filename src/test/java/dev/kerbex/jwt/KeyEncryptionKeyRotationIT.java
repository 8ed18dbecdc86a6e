package dev.kerbex.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.TestJwksServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/runbooks/key-encryption-key-rotation.md, step by step, against the packaged service on one PostgreSQL: start
 * with K1; add K2 as a previous key; make K2 first with K1 previous (the start re-wraps every signing key under K2);
 * drop K1. After each restart the token issued under K1's watch still verifies against the JWKS and new tokens are
 * signed with the same key. Then a start without the key that wrapped the stored keys fails with one clear message.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KeyEncryptionKeyRotationIT {
    static final String TENANT = "kek";
    static final String CLIENT = "app-1";
    static final String SECRET = "app-1-secret-0123456789";
    static final String AUDIENCE = "https://api.example.test";
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedDatabase db;
    static TestJwksServer idp;
    static ECKey idpKey;
    static Path bootstrap;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedDatabase.startTemporary();
        idp = TestJwksServer.start();
        idpKey = new ECKeyGenerator(Curve.P_256).keyID("idp-1").algorithm(JWSAlgorithm.ES256).generate();
        idp.answer("/idp/jwks", TestJwksServer.Answer.json(new JWKSet(idpKey.toPublicJWK()).toString()));
        port = KerbexProcess.freePort();
        bootstrap = Files.createDirectories(Path.of("target", "kek-rotation-it")).resolve("tenants.json");
        Files.writeString(bootstrap, """
                {"tenants": [{"id": "%1$s", "realms": ["CORP.EXAMPLE.TEST"],
                  "clients": [{"client_id": "%2$s", "secret": "%3$s"}],
                  "trusted_issuers": [{"issuer": "%4$s", "jwks_uri": "%5$s", "algorithms": ["ES256"]}],
                  "policies": [{"name": "users-to-api", "effect": "allow", "priority": 100,
                     "match": {"clients": ["%2$s"], "issuers": ["%4$s"], "audiences": ["%6$s"]},
                     "grant": {"scopes": ["read"], "default_scopes": ["read"], "max_lifetime": "PT10M"}}]}]}
                """.formatted(TENANT, CLIENT, SECRET, idp.url("/idp"), idp.url("/idp/jwks"), AUDIENCE),
                StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (idp != null) {
            idp.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void rotationWhenRunbookFollowedThenKeysRewrappedAndTokensStillVerify() throws Exception {
        String k1 = freshKey();
        String k2 = freshKey();

        // Step 0: today, K1 only. A token is issued; its key is stored wrapped by K1.
        String firstToken;
        String kid;
        try (KerbexProcess kerbex = start("kek-rotation-0", Map.of("kerbex.key-encryption-key", k1))) {
            firstToken = exchange(kerbex);
            kid = SignedJWT.parse(firstToken).getHeader().getKeyID();
            assertThat(verifies(kerbex, firstToken)).isTrue();
        }
        assertThat(wrappingKeyIds()).containsOnly(idOf(k1));

        // Step 1: K2 added as a previous key on every replica (it decrypts, nothing is re-wrapped yet).
        try (KerbexProcess kerbex = start("kek-rotation-1", Map.of("kerbex.key-encryption-key", k1,
                "kerbex.key-encryption-keys.previous", k2))) {
            assertThat(verifies(kerbex, firstToken)).isTrue();
            assertThat(kerbex.log()).doesNotContain("re-wrapped");
        }
        assertThat(wrappingKeyIds()).containsOnly(idOf(k1));

        // Step 2: K2 first, K1 previous: the start re-wraps every signing key under K2, in one transaction.
        try (KerbexProcess kerbex = start("kek-rotation-2", Map.of("kerbex.key-encryption-key", k2,
                "kerbex.key-encryption-keys.previous", k1))) {
            assertThat(kerbex.log()).contains("re-wrapped 1 signing keys under key-encryption key id " + idOf(k2));
            assertThat(verifies(kerbex, firstToken)).isTrue();
            String second = exchange(kerbex);
            assertThat(SignedJWT.parse(second).getHeader().getKeyID()).isEqualTo(kid);
        }
        assertThat(wrappingKeyIds()).containsOnly(idOf(k2));

        // Step 3: K1 dropped. Tokens from before the rotation still verify; new ones are signed with the same key.
        try (KerbexProcess kerbex = start("kek-rotation-3", Map.of("kerbex.key-encryption-key", k2))) {
            assertThat(verifies(kerbex, firstToken)).isTrue();
            String third = exchange(kerbex);
            assertThat(SignedJWT.parse(third).getHeader().getKeyID()).isEqualTo(kid);
            assertThat(verifies(kerbex, third)).isTrue();
            assertThat(kerbex.log()).doesNotContain(k1).doesNotContain(k2);
        }

        // A start with the wrong key (K1 alone, after the re-wrap) stops with one message naming the missing key's id.
        assertThatThrownBy(() -> start("kek-rotation-wrong", Map.of("kerbex.key-encryption-key", k1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 of 1 stored signing keys do not decrypt under the configured key-encryption"
                        + " keys [" + idOf(k1) + "]; they were wrapped by key id(s) [" + idOf(k2) + "]")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(k1).doesNotContain(k2));
        assertThat(wrappingKeyIds()).as("nothing changed").containsOnly(idOf(k2));
    }

    static KerbexProcess start(String name, Map<String, String> keys) throws Exception {
        Map<String, String> props = new HashMap<>(keys);
        props.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        props.put("quarkus.datasource.username", db.username());
        props.put("quarkus.datasource.password", db.password());
        props.put("kerbex.bootstrap-file", bootstrap.toAbsolutePath().toString());
        props.put("kerbex.demo.enabled", "false");
        return KerbexProcess.start(name, port, props);
    }

    static String freshKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The documented key id: the first 8 bytes of SHA-256 over the key, in hex. */
    static String idOf(String base64Key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key));
        return HexFormat.of().formatHex(Arrays.copyOf(digest, 8));
    }

    /** The key id each stored signing key's envelope names (version 2: bytes 1–8). */
    static List<String> wrappingKeyIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT private_key FROM signing_key")) {
            while (rs.next()) {
                byte[] envelope = rs.getBytes(1);
                assertThat(envelope[0]).isEqualTo((byte) 2);
                ids.add(HexFormat.of().formatHex(envelope, 1, 9));
            }
        }
        assertThat(ids).isNotEmpty();
        return ids;
    }

    static String exchange(KerbexProcess kerbex) throws Exception {
        Instant now = Instant.now();
        SignedJWT user = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(idpKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer(idp.url("/idp"))
                .subject("alice@corp.example.test").audience(CLIENT).claim("scope", "read").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
        user.sign(new ECDSASigner(idpKey));
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(user.serialize())
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt")
                + "&audience=" + enc(AUDIENCE);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        kerbex.uri("/tenants/" + TENANT + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    /** True when the tenant's JWKS, as served now, holds the token's key and its signature checks out. */
    static boolean verifies(KerbexProcess kerbex, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                kerbex.uri("/tenants/" + TENANT + "/oauth2/jwks")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(token);
        ECKey key = (ECKey) JWKSet.parse(r.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null && jwt.verify(new ECDSAVerifier(key));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
