package dev.kerbex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `kerbex login` keeps (owner-only, refresh state of an OIDC login) and when a kept token counts as expired. */
class CliSettingsTest {
    @TempDir
    Path dir;

    @Test
    void saveWhenOidcLoginThenOwnerOnlyAndRefreshStateReadBack() throws Exception {
        Path file = dir.resolve("kerbex").resolve("cli.json");
        new CliSettings("http://127.0.0.1:8080", "access", null, "demo", "refresh", "http://idp/token", "kerbex-cli")
                .save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        CliSettings read = CliSettings.load(file);
        assertThat(read).isEqualTo(new CliSettings("http://127.0.0.1:8080", "access", null, "demo", "refresh",
                "http://idp/token", "kerbex-cli"));

        read.withTokens("access-2", "refresh-2").save(file);
        assertThat(CliSettings.load(file)).isEqualTo(new CliSettings("http://127.0.0.1:8080", "access-2", null, "demo",
                "refresh-2", "http://idp/token", "kerbex-cli"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void saveWhenPlainTokenThenNoRefreshMembers() throws Exception {
        Path file = dir.resolve("cli.json");
        new CliSettings("http://k", "t", null, null).save(file);
        assertThat(Files.readString(file)).doesNotContain("refresh_token", "token_endpoint", "client_id");
        assertThat(CliSettings.load(file).refreshToken()).isNull();
    }

    @Test
    void expiresWithinWhenExpPastOrNearThenTrueElseFalse() {
        long now = Instant.now().getEpochSecond();
        assertThat(KerbexCli.expiresWithin(jwt("{\"exp\":" + (now - 10) + "}"), Duration.ZERO)).isTrue();
        assertThat(KerbexCli.expiresWithin(jwt("{\"exp\":" + (now + 10) + "}"), Duration.ofSeconds(30))).isTrue();
        assertThat(KerbexCli.expiresWithin(jwt("{\"exp\":" + (now + 600) + "}"), Duration.ofSeconds(30))).isFalse();
        assertThat(KerbexCli.expiresWithin(jwt("{\"sub\":\"x\"}"), Duration.ofSeconds(30))).as("no exp").isFalse();
        assertThat(KerbexCli.expiresWithin("opaque-token", Duration.ofSeconds(30))).as("not a JWT").isFalse();
    }

    private static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }
}
