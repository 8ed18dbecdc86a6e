package dev.kerbex.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.HeadlessChromium;
import dev.kerbex.testing.KerbexProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console (issue 13) in a real browser: Debian's Chromium driven through chromedriver (both installed by
 * {@code scripts/browser.sh}) against the packaged service, as a policy admin uses it. One browser session, one
 * service; the admin tokens are signed by a static RSA key, as the other admin ITs do.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsoleIT {
    static final String TENANT = "console";
    static final String ADMIN_ISSUER = "https://admin-idp.example.test";
    static final String API = "https://api.example.test";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static EmbeddedDatabase db;
    static KerbexProcess kerbex;
    static RSAKey adminKey;
    static ChromeDriverService service;
    static WebDriver browser;
    static WebDriverWait wait;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (mvn package runs before failsafe)").exists();
        Process install = new ProcessBuilder("scripts/browser.sh", "install").inheritIO().start();
        assertThat(install.waitFor()).as("scripts/browser.sh install (Debian chromium, chromium-driver)").isZero();

        Path dir = Files.createDirectories(Path.of("target", "console-it"));
        db = EmbeddedDatabase.startTemporary();
        adminKey = new RSAKeyGenerator(2048).generate();
        Path bootstrap = dir.resolve("tenants.json");
        Files.writeString(bootstrap, """
                {"tenants": [{"id": "%s", "realms": ["EXAMPLE.TEST"],
                  "clients": [{"client_id": "app", "secret": "app-secret-0123456789"}],
                  "policies": [{"name": "other-api", "priority": 50,
                    "match": {"clients": ["app"], "audiences": ["https://other.example.test"]},
                    "grant": {"scopes": ["other:read"], "default_scopes": ["other:read"], "max_lifetime": "PT5M"}}]}]}
                """.formatted(TENANT), StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        kerbex = KerbexProcess.start("console-it", Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                "kerbex.key-encryption-key", Base64.getEncoder().encodeToString(kek),
                "kerbex.demo.enabled", "false",
                "kerbex.bootstrap-file", bootstrap.toAbsolutePath().toString(),
                "quarkus.oidc.public-key", Base64.getEncoder().encodeToString(adminKey.toPublicKey().getEncoded()),
                "quarkus.oidc.token.issuer", ADMIN_ISSUER));

        profile = Files.createTempDirectory("kerbex-console-it-chromium");
        service = HeadlessChromium.driverService();
        ChromeOptions options = HeadlessChromium.options(profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
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
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aPolicyAdminsDayInTheConsole() throws Exception {
        // The console is served with a CSP that forbids inline scripts, and nothing secret goes into URLs.
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(kerbex.uri("/console/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.body()).doesNotContain("<script>");

        // Sign in by pasting a token; the one tenant opens on its policies.
        browser.get(kerbex.baseUrl() + "/console/");
        signIn(token("alice-admin", "kerbex-admin"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("new-policy"))).click();

        // A policy with an invalid lifetime: the API's field error appears beside the field, nothing is created.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name"))).sendKeys("reads");
        type("match.clients", "app");
        type("match.audiences", API);
        type("grant.scopes", "api:read\napi:write");
        type("grant.default_scopes", "api:read");
        type("grant.max_lifetime", "ten minutes");
        browser.findElement(By.id("save-policy")).click();
        WebElement lifetimeError = errorOf("grant.max_lifetime");
        wait.until(d -> !lifetimeError.getText().isBlank());
        assertThat(lifetimeError.getText()).containsIgnoringCase("ISO-8601");
        assertThat(control("grant.max_lifetime").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("policy-errors")).getText()).contains("Not saved: 1 invalid field");
        assertThat(policyNames()).containsExactly("other-api");

        // Fixed: created as revision 1.
        control("grant.max_lifetime").clear();
        type("grant.max_lifetime", "PT10M");
        browser.findElement(By.id("save-policy")).click();
        wait.until(ExpectedConditions.urlMatches("#/t/console/policies/[0-9a-f-]{36}$"));
        String id = browser.getCurrentUrl().replaceAll(".*/", "");
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 1."));
        assertThat(browser.findElement(By.id("status")).getText()).contains("Created reads (revision 1)");

        // Evaluate: the new policy decides, and the other one says why it did not match.
        browser.findElement(By.linkText("Evaluate")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("client_id"))).sendKeys("app");
        type("principal", "alice@EXAMPLE.TEST");
        type("audience", API);
        type("scope", "api:read");
        browser.findElement(By.id("run-evaluate")).click();
        wait.until(ExpectedConditions.textToBe(By.id("decision"), "Allowed"));
        assertThat(browser.findElement(By.id("deciding-policy")).getText()).isEqualTo("reads (revision 1, allow)");
        assertThat(browser.findElement(By.id("granted-scope")).getText()).isEqualTo("api:read");
        WebElement otherRow = browser.findElement(By.xpath("//section[@id='evaluate-result']//tr[td[1]='other-api']"));
        assertThat(otherRow.findElement(By.xpath("td[4]")).getText()).isEqualTo("no");
        assertThat(otherRow.findElement(By.xpath("td[5]")).getText()).containsIgnoringCase("audience");

        // Two tabs edit the same revision: the second save is a conflict and overwrites nothing.
        browser.get(kerbex.baseUrl() + "/console/#/t/console/policies/" + id);
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 1."));
        String aliceTab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(kerbex.baseUrl() + "/console/#/t/console/policies/" + id);
        signIn(token("bob-admin", "tenant-admin:console")); // sessionStorage is per tab: a new tab signs in
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 1."));
        type("priority", "20");
        browser.findElement(By.id("save-policy")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 2."));
        String bobTab = browser.getWindowHandle();

        browser.switchTo().window(aliceTab);
        type("description", "alice was here");
        browser.findElement(By.id("save-policy")).click();
        WebElement conflict = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#policy-conflict .msg")));
        assertThat(conflict.getText()).contains("Conflict: not saved", "now at revision 2 (by bob-admin)",
                "nothing was overwritten");
        assertThat(conflict.findElements(By.cssSelector(".diff ins"))).extracting(WebElement::getText)
                .anyMatch(line -> line.contains("\"priority\": 20"));
        JsonNode current = api("GET", "/policies/" + id).body;
        assertThat(current.get("revision").asInt()).isEqualTo(2);
        assertThat(current.has("description")).as("alice's stale edit was not written").isFalse();
        browser.findElement(By.id("load-current")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 2."));
        type("description", "alice was here");
        browser.findElement(By.id("save-policy")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 3."));

        // Revisions: a diff between any two, and revision 1 restored as revision 4.
        browser.findElement(By.linkText("Revisions and restore")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("input[aria-label='compare from revision 1']")))
                .click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("revision-diff"),
                "From revision 1 to revision 3"));
        assertThat(browser.findElements(By.cssSelector("#revision-diff ins"))).extracting(WebElement::getText)
                .anyMatch(line -> line.contains("\"description\": \"alice was here\""))
                .anyMatch(line -> line.contains("\"priority\": 20"));
        browser.findElement(By.cssSelector("button[data-restore='1']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                "Restored revision 1: reads is now at revision 4."));
        current = api("GET", "/policies/" + id).body;
        assertThat(current.get("revision").asInt()).isEqualTo(4);
        assertThat(current.has("description")).isFalse();
        assertThat(current.has("priority")).isFalse();

        // A new client: its secret is shown once.
        browser.findElement(By.linkText("Clients")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("client_id"))).sendKeys("reporting");
        browser.findElement(By.xpath("//button[.='Create client']")).click();
        WebElement secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret")));
        assertThat(secret.getAttribute("value")).matches("[A-Za-z0-9_-]{43}");
        browser.findElement(By.xpath("//button[.='I have stored it: hide']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("new-secret")));

        // The audit trail: admin changes by both admins, filtered and paged by cursor.
        browser.findElement(By.linkText("Audit events")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("kind")));
        new org.openqa.selenium.support.ui.Select(control("kind")).selectByValue("admin");
        control("limit").clear();
        type("limit", "3");
        browser.findElement(By.id("audit-search")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-result"), "Page 1: 3 events"));
        String first = browser.findElement(By.id("audit-result")).getText();
        assertThat(first).contains("admin").doesNotContain("token_exchange");
        browser.findElement(By.id("audit-next")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-result"), "Page 2:"));
        String second = browser.findElement(By.id("audit-result")).getText();
        // Newest first: the client, the restore, both saves, the creation and its refusal (refusals are audited too).
        assertThat(first + second).contains("alice-admin", "bob-admin");
        assertThat(first + second).doesNotContain("app-secret-0123456789");

        // The client edited in two tabs, as the policy was: bob saves first, alice's save of what she loaded is a
        // conflict showing bob's change, and nothing is overwritten until she loads the current version.
        browser.get(kerbex.baseUrl() + "/console/#/t/console/clients/reporting");
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 0."));
        browser.switchTo().window(bobTab);
        browser.get(kerbex.baseUrl() + "/console/#/t/console/clients/reporting");
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 0."));
        type("rate_limit", "9");
        browser.findElement(By.id("save-edit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 1."));
        browser.switchTo().window(aliceTab);
        type("audiences", "https://reports.example.test");
        browser.findElement(By.id("save-edit")).click();
        WebElement clientConflict = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#edit-conflict .msg")));
        assertThat(clientConflict.getText()).contains("Conflict: not saved", "since you opened version 0: it is now at"
                + " version 1", "nothing was overwritten");
        assertThat(clientConflict.findElements(By.cssSelector(".diff ins"))).extracting(WebElement::getText)
                .anyMatch(line -> line.contains("\"rate_limit\": 9"));
        JsonNode client = api("GET", "/clients/reporting").body;
        assertThat(client.get("rate_limit").asInt()).isEqualTo(9);
        assertThat(client.get("audiences")).as("alice's stale edit was not written").isEmpty();
        browser.findElement(By.id("load-current")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 1."));
        assertThat(control("rate_limit").getAttribute("value")).isEqualTo("9");
        type("audiences", "https://reports.example.test");
        browser.findElement(By.id("save-edit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 2."));
        assertThat(browser.findElement(By.id("status")).getText()).contains("Saved: client reporting is now at version 2.");
        client = api("GET", "/clients/reporting").body;
        assertThat(client.get("rate_limit").asInt()).isEqualTo(9);
        assertThat(client.get("audiences").get(0).asText()).isEqualTo("https://reports.example.test");

        // A trusted issuer added, then edited the same way.
        browser.findElement(By.linkText("Trusted issuers")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("issuer"))).sendKeys("https://idp.console.test");
        type("jwks_uri", "https://idp.console.test/jwks");
        browser.findElement(By.xpath("//button[.='Add trusted issuer']")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Edit https://idp.console.test"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 0."));
        type("algorithms", "ES256");
        browser.findElement(By.id("save-edit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-version"), "Editing version 1."));
        assertThat(browser.findElement(By.id("status")).getText())
                .contains("Saved: trusted issuer https://idp.console.test is now at version 1.");
        JsonNode issuer = api("GET", "/trusted-issuers").body.get(0);
        assertThat(issuer.get("algorithms").get(0).asText()).isEqualTo("ES256");
        assertThat(issuer.get("jwks_uri").asText()).isEqualTo("https://idp.console.test/jwks");

        // A viewer sees no write controls.
        browser.switchTo().window(bobTab);
        browser.findElement(By.id("sign-out")).click();
        signIn(token("carol-viewer", "tenant-viewer:console"));
        browser.get(kerbex.baseUrl() + "/console/#/t/console/policies");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Read-only"));
        assertThat(browser.findElements(By.id("new-policy"))).isEmpty();
        browser.findElement(By.linkText("reads")).click();
        wait.until(ExpectedConditions.textToBe(By.id("editing-revision"), "Editing revision 4."));
        assertThat(browser.findElements(By.id("save-policy"))).isEmpty();
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("carol-viewer (viewer of console)");

        // No page broke its own CSP, and no token went into an address.
        List<LogEntry> entries = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(entries).extracting(LogEntry::getMessage).noneMatch(m -> m.contains("Content Security Policy"));
        assertThat(browser.getCurrentUrl()).doesNotContain("eyJ");

        // Swagger UI, on the packaged service's management interface, renders the hand-written document.
        browser.get(kerbex.managementUrl() + "/q/swagger-ui/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h2.title"), "Kerbex"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("swagger-ui"), "/admin/v1/tenants/{tenant}/evaluate"));
    }

    private static void signIn(String token) {
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        box.sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    private static WebElement control(String name) {
        return browser.findElement(By.name(name));
    }

    private static void type(String name, String text) {
        control(name).sendKeys(text);
    }

    private static WebElement errorOf(String name) {
        return browser.findElement(By.id(control(name).getAttribute("id") + "-error"));
    }

    private static List<String> policyNames() throws Exception {
        return java.util.stream.StreamSupport.stream(api("GET", "/policies").body.spliterator(), false)
                .map(p -> p.get("name").asText()).toList();
    }

    record Answer(int status, JsonNode body) {
    }

    private static Answer api(String method, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(kerbex.uri("/admin/v1/tenants/" + TENANT + path))
                .header("Authorization", "Bearer " + token("it-check", "kerbex-admin"))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    private static String token(String sub, String... roles) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().issuer(ADMIN_ISSUER)
                .subject(sub).claim("roles", List.of(roles)).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(900))).build());
        jwt.sign(new RSASSASigner(adminKey));
        return jwt.serialize();
    }
}
