package dev.kerbex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.HeadlessChromium;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.KeycloakServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sign-in through a real identity provider (issue 13): one Keycloak 26.7.3 ({@link KeycloakServer}) with a realm that
 * has a public client for the console (authorization code + PKCE, redirect {@code {kerbex}/console/}), a public
 * device-flow client for the command line, and a user whose realm role {@code kerbex-admin} a mapper puts into the
 * access token's {@code roles} claim; the packaged Kerbex's admin API trusts that realm
 * ({@code quarkus.oidc.auth-server-url}). Chromium signs in to the console through Keycloak's login page, and
 * {@code kerbex login --device} is approved on Keycloak's verification page in the same browser; then the CLI works
 * with the stored token, and refreshes it once it has expired; {@code kerbex login --browser} signs in with PKCE on a
 * loopback redirect.
 *
 * <p>Keycloak's start dominates the run time (about 30 s on a quiet machine, several minutes on a loaded one).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OidcSignInIT {
    static final String REALM = "kerbex-admin";
    static final String TENANT = "oidc";
    static final String PASSWORD = "alice-keycloak-password";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static KeycloakServer keycloak;
    static EmbeddedDatabase db;
    static KerbexProcess kerbex;
    static ChromeDriverService service;
    static WebDriver browser;
    static WebDriverWait wait;
    static Map<String, String> env;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        assertThat(Path.of("target", "quarkus-app", "quarkus-run.jar")).as("the packaged service").exists();
        Process install = new ProcessBuilder("scripts/browser.sh", "install").inheritIO().start();
        assertThat(install.waitFor()).as("scripts/browser.sh install (Debian chromium, chromium-driver)").isZero();
        dir = Path.of("target", "oidc-it").toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);

        int kerbexPort = KerbexProcess.freePort();
        String realm = Files.readString(Path.of("src/test/resources/keycloak/kerbex-admin-realm.json"))
                .replace("${KERBEX_URL}", "http://127.0.0.1:" + kerbexPort);
        keycloak = KeycloakServer.start(REALM, realm);

        db = EmbeddedDatabase.startTemporary();
        Path bootstrap = dir.resolve("tenants.json");
        Files.writeString(bootstrap, """
                {"tenants": [{"id": "%s", "realms": ["EXAMPLE.TEST"],
                  "clients": [{"client_id": "app", "secret": "app-secret-0123456789"}],
                  "policies": [{"name": "oidc-reads", "match": {"clients": ["app"], "audiences": ["https://api.example.test"]},
                    "grant": {"scopes": ["api:read"], "max_lifetime": "PT5M"}}]}]}
                """.formatted(TENANT), StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        kerbex = KerbexProcess.start("oidc-it", kerbexPort, Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                "kerbex.key-encryption-key", Base64.getEncoder().encodeToString(kek),
                "kerbex.demo.enabled", "false",
                "kerbex.bootstrap-file", bootstrap.toAbsolutePath().toString(),
                "quarkus.oidc.auth-server-url", keycloak.issuer(REALM)));

        service = HeadlessChromium.driverService();
        browser = new ChromeDriver(service, HeadlessChromium.options(Files.createDirectories(dir.resolve("chromium"))));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        env = new HashMap<>(Map.of("KERBEX_CLI_CONFIG", dir.resolve("cli.json").toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (kerbex != null) {
            kerbex.close();
        }
        if (db != null) {
            db.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void consoleSignsInThroughKeycloakWithPkceThenListsPolicies() {
        forgetSignIns();
        browser.get(kerbex.baseUrl() + "/console/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("oidc-sign-in"))).click();

        // Keycloak's own login page, reached with a PKCE challenge (the console client requires S256).
        wait.until(ExpectedConditions.urlContains(keycloak.issuer(REALM) + "/protocol/openid-connect/auth"));
        assertThat(browser.getCurrentUrl()).contains("code_challenge_method=S256", "client_id=kerbex-console");
        logInAtKeycloak();

        // Back at the console: code and state gone from the address, signed in, the tenant's policies listed.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "oidc-reads"));
        assertThat(browser.getCurrentUrl()).startsWith(kerbex.baseUrl() + "/console/").doesNotContain("code=", "state=");
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).contains("admin");
    }

    @Test
    void cliDeviceLoginApprovedInTheBrowserThenPoliciesListedAndTokenRefreshedWhenExpired() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> login = CompletableFuture.supplyAsync(() -> KerbexCli.run(new String[] {"login",
                "--device", "--url", kerbex.baseUrl(), "--tenant", TENANT}, new PrintWriter(out, true),
                new PrintWriter(err, true), env));

        // The CLI found the issuer through the service, printed where to go and the code, and polls.
        Pattern prompt = Pattern.compile("To sign in, open (\\S+) and enter the code (\\S+)\\n\\(or open (\\S+)\\)");
        Matcher m = awaitMatch(err, prompt);
        assertThat(m.group(1)).isEqualTo(keycloak.issuer(REALM) + "/device");
        assertThat(m.group(2)).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(login).isNotDone();

        // The admin approves in a browser: Keycloak's verification page, its login, its consent.
        forgetSignIns();
        browser.get(m.group(3));
        logInAtKeycloak();
        List<org.openqa.selenium.WebElement> consent = browser.findElements(By.name("accept"));
        if (!consent.isEmpty()) {
            consent.get(0).click();
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Device Login Successful"));

        assertThat(login.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Logged in to " + kerbex.baseUrl() + " as ")
                .contains("(roles: kerbex-admin); 1 tenant(s) visible; default tenant oidc.");
        Path config = dir.resolve("cli.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        JsonNode saved = JSON.readTree(config.toFile());
        assertThat(saved.get("refresh_token").asText()).isNotBlank();
        assertThat(saved.get("client_id").asText()).isEqualTo("kerbex-cli");

        Run list = cli("policies", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).startsWith("NAME").contains("oidc-reads  allow");

        // The access token has expired (its exp set back, as after five minutes): the next command refreshes it
        // with the refresh token first, keeps the new one (owner-only still), and works.
        String stale = expired(saved.get("token").asText());
        ((ObjectNode) saved).put("token", stale);
        Files.writeString(config, saved.toString());
        Run again = cli("policies", "list", "-o", "json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("\"oidc-reads\"");
        JsonNode renewed = JSON.readTree(config.toFile());
        assertThat(renewed.get("token").asText()).isNotEqualTo(stale);
        assertThat(KerbexCli.expiresWithin(renewed.get("token").asText(), Duration.ZERO)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");

        // A refresh token the identity provider no longer accepts: a clear message and exit 3, nothing else.
        ((ObjectNode) renewed).put("token", stale).put("refresh_token", "not-a-refresh-token");
        Files.writeString(config, renewed.toString());
        Run refused = cli("policies", "list");
        assertThat(refused.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(refused.err()).isEqualTo("kerbex: the sign-in expired (the identity provider refused the refresh"
                + " token): run `kerbex login` again\n");
    }

    @Test
    void cliBrowserLoginWithPkceOnALoopbackRedirectThenLoggedIn() throws Exception {
        Path config = dir.resolve("browser-cli.json");
        Map<String, String> own = Map.of("KERBEX_CLI_CONFIG", config.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> login = CompletableFuture.supplyAsync(() -> KerbexCli.run(new String[] {"login",
                "--browser", "--url", kerbex.baseUrl(), "--tenant", TENANT}, new PrintWriter(out, true),
                new PrintWriter(err, true), own));
        Matcher m = awaitMatch(err, Pattern.compile("open this address in a browser on this machine:\\n(\\S+)\\n"));
        String authorize = m.group(1);
        assertThat(authorize).startsWith(keycloak.issuer(REALM) + "/protocol/openid-connect/auth?")
                .contains("client_id=kerbex-cli", "code_challenge_method=S256",
                        "redirect_uri=http%3A%2F%2F127.0.0.1%3A");

        forgetSignIns();
        browser.get(authorize);
        logInAtKeycloak();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
                "Signed in: you can close this tab"));
        assertThat(browser.getCurrentUrl()).startsWith("http://127.0.0.1:");

        assertThat(login.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("(roles: kerbex-admin); 1 tenant(s) visible; default tenant oidc.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        StringWriter listOut = new StringWriter();
        int code = KerbexCli.run(new String[] {"policies", "list"}, new PrintWriter(listOut, true),
                new PrintWriter(new StringWriter(), true), own);
        assertThat(code).isZero();
        assertThat(listOut.toString()).contains("oidc-reads");
    }

    /** Every cookie of the browser, Keycloak's session cookies (path /realms/...) too: each test logs in anew. */
    private static void forgetSignIns() {
        ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    private static void logInAtKeycloak() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }

    /** The same JWT with {@code exp} an hour ago (its signature no longer matches; it is never sent). */
    private static String expired(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        claims.put("exp", Instant.now().minusSeconds(3600).getEpochSecond());
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims))
                + "." + parts[2];
    }

    private static Matcher awaitMatch(StringWriter w, Pattern p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(w.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + p + " in: " + w);
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KerbexCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(code, out.toString(), err.toString());
    }
}
