package dev.kerbex.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default run's admin access: when it is on, its files, and the tokens its key signs. */
class EmbeddedAdminAccessTest {
    @TempDir
    Path temp;

    @Test
    void appliesOnlyOnTheEmbeddedDatabaseWithNoAdminAuthenticationConfigured() {
        assertThat(EmbeddedAdminAccess.applies(false, Map.<String, String>of()::get)).isTrue();
        assertThat(EmbeddedAdminAccess.applies(false, Map.of("quarkus.oidc.public-key", " ")::get)).isTrue();
        assertThat(EmbeddedAdminAccess.applies(true, Map.<String, String>of()::get)).as("external database").isFalse();
        for (String setting : List.of("quarkus.oidc.auth-server-url", "quarkus.oidc.public-key",
                "quarkus.oidc.certificate-chain.trust-store-file")) {
            assertThat(EmbeddedAdminAccess.applies(false, Map.of(setting, "x")::get)).as(setting).isFalse();
        }
    }

    @Test
    void prepareThenOwnerOnlyFilesAndTheSameKeyOnTheNextStart() throws Exception {
        Path dir = EmbeddedAdminAccess.dirBeside(temp.resolve("kerbex").resolve("pg"));
        assertThat(dir).isEqualTo(temp.resolve("kerbex").resolve("admin"));
        EmbeddedAdminAccess first = EmbeddedAdminAccess.prepare(dir);
        Path token = first.writeToken(Instant.now());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(Files.readString(first.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(EmbeddedAdminAccess.prepare(dir).publicKey()).isEqualTo(first.publicKey());
        assertThat(EmbeddedAdminAccess.open(dir).publicKey()).isEqualTo(first.publicKey());
    }

    @Test
    void tokenThenKerbexAdminSignedWithTheKeyForItsLifetime() throws Exception {
        EmbeddedAdminAccess access = EmbeddedAdminAccess.prepare(temp.resolve("admin"));
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        Path file = access.writeToken(now);
        SignedJWT jwt = SignedJWT.parse(Files.readString(file).trim());
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(access.publicKey())));
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("urn:kerbex:embedded-admin");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("embedded-admin");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("kerbex-admin");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.plus(Duration.ofHours(8)));
        assertThat(EmbeddedAdminNotice.text(temp.resolve("admin"), "http://localhost:8080"))
                .contains(file.toString(), "bin/kerbex login --url http://localhost:8080 --embedded " + temp.resolve("admin"))
                .doesNotContain(Files.readString(file).trim());
    }
}
