package dev.kerbex.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} zip that failsafe's {@code pre-integration-test} copies to
 * {@code target/keycloak/}, as bench/compare.sh runs it): unpacked and built once ({@code kc.sh build}, dev-file
 * database; kept in {@code target/keycloak/} for the next run), then started with {@code kc.sh start --optimized} on
 * free loopback ports with one realm imported. Keycloak 26 needs Java 21+: {@code $KC_JAVA_HOME}, else the Temurin 25 at
 * /usr/lib/jvm. {@link #close()} stops it (kc.sh forwards TERM to its JVM).
 */
public final class KeycloakServer implements AutoCloseable {
    public static final String VERSION = "26.7.3";

    private final Process process;
    private final int port;
    private final Path log;

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Keycloak with {@code realmJson} imported; waits until {@code realm}'s discovery document answers. */
    public static KeycloakServer start(String realm, String realmJson) throws IOException, InterruptedException {
        Path base = Path.of("target", "keycloak").toAbsolutePath();
        Path home = base.resolve("keycloak-" + VERSION);
        Path javaHome = Path.of(System.getenv().getOrDefault("KC_JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.exists(home.resolve(".built"))) {
            Path zip = base.resolve("keycloak-quarkus-dist-" + VERSION + ".zip");
            if (!Files.exists(zip)) {
                throw new IllegalStateException(zip + " is missing: the pre-integration-test phase copies it (run"
                        + " through `./mvnw verify`)");
            }
            run(List.of("rm", "-rf", home.toString()), base, null, base.resolve("unzip.log"));
            run(List.of("unzip", "-q", "-o", zip.toString(), "-d", base.toString()), base, null, base.resolve("unzip.log"));
            // The dev-file (H2) database and local caches: a single throw-away node.
            run(List.of(home.resolve("bin/kc.sh").toString(), "build", "--db=dev-file"), home, javaHome,
                    base.resolve("build.log"));
            Files.createFile(home.resolve(".built"));
        }
        run(List.of("rm", "-rf", home.resolve("data").toString()), base, null, base.resolve("unzip.log"));
        Files.createDirectories(home.resolve("data/import"));
        Files.writeString(home.resolve("data/import/" + realm + ".json"), realmJson, StandardCharsets.UTF_8);
        int port = KerbexProcess.freePort();
        int managementPort = KerbexProcess.freePort();
        Path log = base.resolve("keycloak.log");
        ProcessBuilder b = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + managementPort, "--hostname-strict=false", "--cache=local",
                "--import-realm").directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("JAVA_HOME", javaHome.toString());
        b.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        b.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", java.util.UUID.randomUUID().toString());
        KeycloakServer kc = new KeycloakServer(b.start(), port, log);
        kc.awaitRealm(realm, Duration.ofSeconds(240));
        return kc;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitRealm(String realm, Duration limit) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI discovery = URI.create(issuer(realm) + "/.well-known/openid-configuration");
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak was not ready within " + limit + ":\n" + log());
    }

    private static void run(List<String> command, Path dir, Path javaHome, Path log) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (javaHome != null) {
            b.environment().put("JAVA_HOME", javaHome.toString());
        }
        Process p = b.start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    @Override
    public void close() throws InterruptedException {
        // kc.sh runs Keycloak's JVM as its child and forwards TERM to it; stop the child too should kc.sh not.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        for (ProcessHandle child : children) {
            child.destroy();
        }
    }

}
