package dev.kerbex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedAdminAccess;
import dev.kerbex.testing.KerbexProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded default run as a newcomer starts it (packaged service, no JDBC URL, no quarkus.oidc.*), its admin
 * access, and the {@code kerbex} command line driven against it: login, apply (created, unchanged, updated, dry
 * run), a concurrent edit refused as a conflict, evaluate, audit tail, restore, delete, and the API's errors. The
 * commands run in this JVM through {@link KerbexCli#run} (outputs and exit codes asserted); one runs through
 * {@code bin/kerbex} to prove the packaging.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KerbexCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AUDIENCE = "https://cli.demo.test";
    static Path dir;
    static Path adminDir;
    static KerbexProcess kerbex;
    static Map<String, String> env;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Path.of("target", "cli-it").toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        adminDir = dir.resolve("admin");
        kerbex = KerbexProcess.start("cli-it", Map.of(
                "kerbex.embedded-db.dir", dir.resolve("pg").toString(),
                "kerbex.demo.dir", dir.resolve("demo").toString(),
                "kerbex.demo.kdc-port", Integer.toString(KerbexProcess.freePort())));
        env = new HashMap<>(Map.of("KERBEX_CLI_CONFIG", dir.resolve("cli.json").toString()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (kerbex != null) {
            kerbex.close();
        }
    }

    @Test
    @Order(1)
    void embeddedDefaultRunThenOwnerOnlyKeyAndTokenFileWhosePathAloneIsLogged() throws Exception {
        Path token = adminDir.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminDir.resolve("admin-signing-key.pem"))))
                .isEqualTo("rw-------");
        String log = kerbex.log();
        assertThat(log).contains("==== Admin API of the embedded default run ====", token.toString(),
                "bin/kerbex login --url " + kerbex.baseUrl() + " --embedded " + adminDir);
        assertThat(log).doesNotContain(Files.readString(token).trim()).doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    @Order(2)
    void adminApiWhenTokenFileThenAcceptedAndOthersRefused() throws Exception {
        String token = Files.readString(adminDir.resolve("admin-token")).trim();
        assertThat(status(token)).isEqualTo(200);
        assertThat(status(null)).isEqualTo(401);
        assertThat(status(forged())).as("same issuer and role, another key").isEqualTo(401);
        String expired = EmbeddedAdminAccess.open(adminDir).token(Instant.now().minus(Duration.ofHours(1)),
                Duration.ofMinutes(5));
        assertThat(status(expired)).isEqualTo(401);
    }

    @Test
    @Order(3)
    void loginWhenTokenRefusedOrMissingThenExit3() throws Exception {
        Path bad = Files.writeString(dir.resolve("forged-token"), forged());
        Run r = cli("login", "--url", kerbex.baseUrl(), "--token-file", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.err()).contains("kerbex: 401 Unauthorized: no valid admin token");
        Run notLoggedIn = cli("policies", "list", "--url", kerbex.baseUrl(), "-t", "demo");
        assertThat(notLoggedIn.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(notLoggedIn.err()).contains("not logged in: run `kerbex login`");
        Run unreachable = cli("login", "--url", "http://127.0.0.1:" + KerbexProcess.freePort(), "--token", "x.y.z");
        assertThat(unreachable.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(unreachable.err()).contains("cannot reach http://127.0.0.1:", ": connection refused");
    }

    @Test
    @Order(4)
    void loginWithTokenFileThenPoliciesListed() throws Exception {
        Run login = cli("login", "--url", kerbex.baseUrl(), "--token-file", adminDir.resolve("admin-token").toString(),
                "--tenant", "demo");
        assertThat(login.code()).as(login.err()).isZero();
        assertThat(login.out()).contains("Logged in to " + kerbex.baseUrl() + " as embedded-admin (roles: kerbex-admin);"
                + " 1 tenant(s) visible; default tenant demo.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cli.json"))))
                .isEqualTo("rw-------");
        Run list = cli("policies", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).startsWith("NAME").contains("demo-users-read-api  allow   100       1");
    }

    @Test
    @Order(5)
    void applyThenCreatedUnchangedUpdatedAndDryRunShowsTheDiff() throws Exception {
        Path file = policyFile("cli-reads.json", "PT10M");
        Run dry = cli("policies", "apply", "-f", file.toString(), "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("would create policy cli-reads (new)", "+   \"name\" : \"cli-reads\"");
        assertThat(cli("policies", "list").out()).doesNotContain("cli-reads");

        Run created = cli("policies", "apply", "-f", file.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created policy cli-reads (revision 1)\n");

        Run again = cli("policies", "apply", "-f", file.toString());
        assertThat(again.out()).isEqualTo("unchanged policy cli-reads (revision 1)\n");

        Path changed = policyFile("cli-reads.json", "PT5M");
        Run diff = cli("policies", "apply", "-f", changed.toString(), "--dry-run");
        assertThat(diff.out()).contains("would update policy cli-reads (revision 1)",
                "-     \"max_lifetime\" : \"PT10M\",", "+     \"max_lifetime\" : \"PT5M\",");
        assertThat(revision("cli-reads")).as("a dry run writes nothing").isEqualTo(1);

        Run updated = cli("policies", "apply", "-f", changed.toString(), "-o", "json");
        assertThat(updated.code()).isZero();
        JsonNode result = JSON.readTree(updated.out()).get(0);
        assertThat(result.get("action").asText()).isEqualTo("updated");
        assertThat(result.get("previous_revision").asInt()).isEqualTo(1);
        assertThat(result.get("revision").asInt()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void applyWhenEditedByOtherMeanwhileThenConflictExit5AndNothingOverwritten() throws Exception {
        Run get = cli("policies", "get", "cli-reads", "-o", "json");
        JsonNode mine = JSON.readTree(get.out());
        assertThat(mine.get("revision").asInt()).isEqualTo(2);
        // Someone else changes the policy (revision 3) while my edit of revision 2 is in progress.
        assertThat(cli("policies", "apply", "-f", policyFile("other.json", "PT7M").toString()).out())
                .contains("updated policy cli-reads (revision 2 -> 3)");
        Path stale = Files.writeString(dir.resolve("mine.json"),
                get.out().replace("\"PT5M\"", "\"PT9M\""), StandardCharsets.UTF_8);

        Run conflict = cli("policies", "apply", "-f", stale.toString());
        assertThat(conflict.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).contains("kerbex: policy cli-reads: conflict: it was changed by someone else (the"
                + " file is of revision 2, the policy was at revision 3); nothing was written.");
        JsonNode now = JSON.readTree(cli("policies", "get", "cli-reads", "-o", "json").out());
        assertThat(now.get("revision").asInt()).isEqualTo(3);
        assertThat(now.at("/grant/max_lifetime").asText()).isEqualTo("PT7M");

        Run asJson = cli("policies", "apply", "-f", stale.toString(), "-o", "json");
        JsonNode error = JSON.readTree(asJson.err());
        assertThat(error.get("exit_code").asInt()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(error.at("/problem/status").asInt()).isEqualTo(412);
    }

    @Test
    @Order(7)
    void applyWhenInvalidThenEachFieldErrorPrintedAndExit6() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"name": "bad", "match": {"audiences": []}, "grant": {"max_lifetime": "10 minutes"}}""");
        Run r = cli("policies", "apply", "-f", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("kerbex: policy bad: 400 Invalid request body: 2 invalid fields",
                "\n  /grant/max_lifetime: not an ISO-8601 duration such as PT10M",
                "\n  /match/audiences: ");
        Run json = cli("policies", "apply", "-f", bad.toString(), "-o", "json");
        assertThat(JSON.readTree(json.err()).at("/problem/errors").size()).isEqualTo(2);

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"name\":");
        Run notJson = cli("policies", "apply", "-f", broken.toString());
        assertThat(notJson.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(notJson.err()).contains(broken + " is not JSON");
    }

    @Test
    @Order(8)
    void evaluateThenDecisionAndWhyOthersDidNotMatchWithExitCodes() throws Exception {
        Run allow = cli("evaluate", "--client", "demo-client", "--principal", "alice@KERBEX.DEMO", "--audience", AUDIENCE,
                "--scope", "cli:read");
        assertThat(allow.code()).as(allow.err()).isZero();
        assertThat(allow.out()).contains("decision: allow", "policy:   cli-reads (revision 3, allow)", "scope:    cli:read",
                "lifetime: 420s");
        assertThat(allow.out()).containsPattern("demo-users-read-api +allow +no +\\S");

        Run deny = cli("evaluate", "--client", "demo-client", "--principal", "alice@KERBEX.DEMO", "--audience",
                "https://elsewhere.test", "-o", "json");
        assertThat(deny.code()).isEqualTo(ExitCodes.DENIED);
        JsonNode r = JSON.readTree(deny.out());
        assertThat(r.get("decision").asText()).isEqualTo("deny");
        assertThat(r.get("error").asText()).isEqualTo("invalid_target");
    }

    @Test
    @Order(9)
    void auditTailThenAdminEventsOldestFirstAndFollowPrintsNewOnes() throws Exception {
        Run tail = cli("audit", "tail", "--kind", "admin", "-n", "7");
        assertThat(tail.code()).isZero();
        List<String> lines = tail.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("KIND", "OUTCOME", "CLIENT/ACTOR", "REASON");
        assertThat(lines).hasSize(8);
        assertThat(lines.get(1)).contains("admin", "success", "embedded-admin", "create policy cli-reads");
        assertThat(lines.get(2)).contains("success", "update policy cli-reads");
        assertThat(lines.get(3)).contains("success", "update policy cli-reads");
        // The two conflicts and the two invalid documents: refused, and audited all the same.
        assertThat(lines.get(4)).contains("failure", "embedded-admin", "update policy refused");
        assertThat(lines.get(5)).contains("failure", "update policy refused");
        assertThat(lines.get(6)).contains("failure", "create policy refused");
        assertThat(lines.get(7)).contains("failure", "create policy refused");

        StringWriter followed = new StringWriter();
        int[] code = new int[1];
        Thread follower = new Thread(() -> code[0] = KerbexCli.run(new String[] {"audit", "tail", "--kind", "admin",
                "-n", "1", "-f", "--interval", "PT0.2S", "--polls", "300", "-o", "json"}, new PrintWriter(followed, true),
                new PrintWriter(new StringWriter()), env));
        follower.start();
        awaitOutput(followed, 1);
        assertThat(cli("policies", "apply", "-f", policyFile("follow.json", "PT8M").toString()).code()).isZero();
        awaitOutput(followed, 2);
        follower.interrupt();
        follower.join(10_000);
        List<JsonNode> events = new ArrayList<>();
        for (String line : followed.toString().lines().toList()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events.get(1).get("reason").asText()).isEqualTo("update policy cli-reads");
        assertThat(events.stream().map(e -> e.get("id").asText()).distinct()).hasSize(events.size());
    }

    @Test
    @Order(10)
    void revisionsRestoreAndDeleteThenGone() throws Exception {
        Run revisions = cli("policies", "revisions", "cli-reads");
        assertThat(revisions.out()).contains("REVISION", "embedded-admin").containsPattern("(?m)^4 +cli-reads");
        Run restore = cli("policies", "restore", "cli-reads", "1");
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).isEqualTo("restored revision 1 of policy cli-reads as revision 5\n");
        assertThat(JSON.readTree(cli("policies", "get", "cli-reads", "-o", "json").out()).at("/grant/max_lifetime")
                .asText()).isEqualTo("PT10M");

        Run delete = cli("policies", "delete", "cli-reads");
        assertThat(delete.code()).isZero();
        assertThat(delete.out()).startsWith("deleted policy cli-reads (was revision 5; id ");
        Run gone = cli("policies", "get", "cli-reads");
        assertThat(gone.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).isEqualTo("kerbex: no policy cli-reads\n");
    }

    @Test
    @Order(11)
    void clientsAndKeysThenSecretShownOnceAndKeyRotated() throws Exception {
        Run created = cli("clients", "create", "cli-app", "--audience", AUDIENCE);
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).containsPattern("client_secret: [A-Za-z0-9_-]{43}\n")
                .contains("shown only this once");
        Run rotated = cli("clients", "rotate-secret", "cli-app", "-o", "json");
        assertThat(JSON.readTree(rotated.out()).get("client_secret").asText()).hasSize(43);
        assertThat(cli("clients", "list").out()).containsPattern("cli-app +" + AUDIENCE.replace(".", "\\.") + " +yes");
        Run again = cli("clients", "create", "cli-app");
        assertThat(again.code()).isIn(ExitCodes.INVALID, ExitCodes.CONFLICT);

        assertThat(cli("keys", "list").out()).contains("active");
        Run key = cli("keys", "rotate");
        assertThat(key.out()).startsWith("new active key ");
        assertThat(cli("keys", "list").out()).contains("active", "retired");
    }

    @Test
    @Order(12)
    void binKerbexScriptWithEmbeddedKeyThenRunsFromThePackagedApp() throws Exception {
        Path config = dir.resolve("script-cli.json");
        List<String> login = List.of("bin/kerbex", "--config", config.toString(), "login", "--url", kerbex.baseUrl(),
                "--embedded", adminDir.toString(), "--tenant", "demo");
        Run r = script(login);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).as("nothing but the answer").isEmpty();
        assertThat(Files.readString(config)).contains("\"embedded_dir\"").doesNotContain("\"token\"");
        Run list = script(List.of("bin/kerbex", "--config", config.toString(), "policies", "list", "-o", "json"));
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(JSON.readTree(list.out()).get(0).get("name").asText()).isEqualTo("demo-users-read-api");
    }

    @Test
    @Order(13)
    void clientsGetUpdateDeleteThenVersionedAndAStaleEditRefused() throws Exception {
        Run get = cli("clients", "get", "cli-app");
        assertThat(get.code()).as(get.err()).isZero();
        JsonNode read = JSON.readTree(get.out());
        String v1 = read.get("version").asText();
        assertThat(read.get("client_id").asText()).isEqualTo("cli-app");
        assertThat(read.has("client_secret")).isFalse();

        Run dry = cli("clients", "update", "cli-app", "--rate-limit", "7", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("would update client cli-app (version " + v1 + ")\n")
                .contains("+   \"rate_limit\" : 7");
        assertThat(JSON.readTree(cli("clients", "get", "cli-app").out()).has("rate_limit")).isFalse();

        Run update = cli("clients", "update", "cli-app", "--rate-limit", "7");
        assertThat(update.code()).as(update.err()).isZero();
        String v2 = JSON.readTree(cli("clients", "get", "cli-app").out()).get("version").asText();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(update.out()).isEqualTo("updated client cli-app (version " + v1 + " -> " + v2 + ")\n");
        assertThat(cli("clients", "update", "cli-app", "--rate-limit", "7").out())
                .isEqualTo("unchanged client cli-app (version " + v2 + ")\n");

        // An edit of what was read before that update: refused, nothing overwritten.
        Path stale = Files.writeString(dir.resolve("client.json"), get.out().replace("\"audiences\"",
                "\"kerberos_principal\": \"svc/stale@EXAMPLE.TEST\", \"audiences\""));
        Run conflict = cli("clients", "update", "cli-app", "-f", stale.toString());
        assertThat(conflict.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).startsWith("kerbex: conflict: client cli-app is no longer at version " + v1
                + " (changed by someone else); nothing was written.");
        JsonNode now = JSON.readTree(cli("clients", "get", "cli-app").out());
        assertThat(now.get("rate_limit").asInt()).isEqualTo(7);
        assertThat(now.has("kerberos_principal")).isFalse();

        Run staleDelete = cli("clients", "delete", "cli-app", "--if-version", v1);
        assertThat(staleDelete.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(staleDelete.err()).contains("nothing was deleted");
        Run delete = cli("clients", "delete", "cli-app");
        assertThat(delete.out()).isEqualTo("deleted client cli-app (was version " + v2 + ")\n");
        assertThat(cli("clients", "get", "cli-app").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    @Order(14)
    void trustedIssuersApplyGetListDeleteThenIdempotentAndAStaleEditRefused() throws Exception {
        String issuer = "https://idp.cli.test";
        Path file = Files.writeString(dir.resolve("issuer.json"),
                "{\"issuer\": \"" + issuer + "\", \"jwks_uri\": \"" + issuer + "/jwks\"}");
        Run created = cli("trusted-issuers", "apply", "-f", file.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created trusted issuer " + issuer + " (version 0)\n");
        assertThat(cli("trusted-issuers", "apply", "-f", file.toString()).out())
                .isEqualTo("unchanged trusted issuer " + issuer + " (version 0)\n");
        assertThat(cli("trusted-issuers", "list").out()).startsWith("ISSUER")
                .contains(issuer + "  " + issuer + "/jwks  (ES256,RS256)");
        Run get = cli("trusted-issuers", "get", issuer);
        JsonNode read = JSON.readTree(get.out());
        assertThat(read.get("version").asText()).isEqualTo("0");
        assertThat(JSON.readTree(cli("trusted-issuers", "get", read.get("id").asText()).out()).get("issuer").asText())
                .isEqualTo(issuer);

        Path narrower = Files.writeString(dir.resolve("issuer-es256.json"), get.out().replace("\"jwks_uri\"",
                "\"algorithms\": [\"ES256\"], \"jwks_uri\""));
        Run dry = cli("trusted-issuers", "apply", "-f", narrower.toString(), "--dry-run");
        assertThat(dry.out()).startsWith("would update trusted issuer " + issuer + " (version 0)\n")
                .contains("+   \"algorithms\" : [ \"ES256\" ],");
        Run updated = cli("trusted-issuers", "apply", "-f", narrower.toString());
        assertThat(updated.code()).as(updated.err()).isZero();
        assertThat(updated.out()).isEqualTo("updated trusted issuer " + issuer + " (version 0 -> 1)\n");

        // The first read (version 0) edited after that update: refused, nothing overwritten.
        Path stale = Files.writeString(dir.resolve("issuer-stale.json"), get.out().replace("/jwks\"", "/keys\""));
        Run conflict = cli("trusted-issuers", "apply", "-f", stale.toString());
        assertThat(conflict.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).startsWith("kerbex: conflict: trusted issuer " + issuer
                + " is no longer at version 0 (changed by someone else); nothing was written.");
        assertThat(JSON.readTree(cli("trusted-issuers", "get", issuer).out()).get("jwks_uri").asText())
                .isEqualTo(issuer + "/jwks");

        Run delete = cli("trusted-issuers", "delete", issuer);
        assertThat(delete.out()).isEqualTo("deleted trusted issuer " + issuer + " (was version 1)\n");
        Run gone = cli("trusted-issuers", "get", issuer);
        assertThat(gone.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).isEqualTo("kerbex: no trusted issuer " + issuer + "\n");
    }

    @Test
    @Order(15)
    void completionScriptThenEveryCommandCompletes() {
        Run completion = cli("generate-completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F _complete_kerbex", "trusted-issuers", "rotate-secret",
                "--device");
    }

    private static Run script(List<String> command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = dir.resolve("script.out");
        Path err = dir.resolve("script.err");
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KerbexCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(code, out.toString(), err.toString());
    }

    private static int revision(String name) throws IOException {
        return JSON.readTree(cli("policies", "get", name, "-o", "json").out()).get("revision").asInt();
    }

    private static Path policyFile(String file, String maxLifetime) throws IOException {
        return Files.writeString(dir.resolve(file), """
                {"name": "cli-reads", "match": {"clients": ["demo-client"], "audiences": ["%s"]},
                 "grant": {"scopes": ["cli:read", "cli:write"], "default_scopes": ["cli:read"], "max_lifetime": "%s"}}"""
                .formatted(AUDIENCE, maxLifetime));
    }

    private static void awaitOutput(StringWriter w, int lines) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (w.toString().lines().count() < lines && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(w.toString().lines().count()).as(w.toString()).isGreaterThanOrEqualTo(lines);
    }

    private static int status(String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(kerbex.uri("/admin/v1/tenants")).timeout(Duration.ofSeconds(10));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Issuer, subject and role of the embedded admin, signed by another RSA key. */
    private static String forged() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .issuer(EmbeddedAdminAccess.ISSUER).subject(EmbeddedAdminAccess.SUBJECT)
                .claim("roles", List.of("kerbex-admin")).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        return jwt.serialize();
    }
}
