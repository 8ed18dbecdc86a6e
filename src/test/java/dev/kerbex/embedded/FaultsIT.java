package dev.kerbex.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.ExchangeLoad;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TokenRequests;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's faults, against the packaged service under load (valid Kerberos exchanges from four threads), each
 * bounded to seconds: PostgreSQL killed ({@code kill -9} of the postmaster) and restarted; the service killed
 * ({@code kill -9}) and restarted on the same embedded data; the connection pool exhausted. In each, every 200 the
 * clients saw must have its {@code issued} audit row, and no AP-REQ answered once may be accepted again. Figures
 * of a run: docs/reliability.md.
 */
class FaultsIT {
    private static final String TOKEN = "/tenants/" + KerbexTestResource.TENANT + "/oauth2/token";
    private static final Duration BOUND = Duration.ofSeconds(90);

    private static EmbeddedDatabase database;
    private static Path databaseDir;
    private static int databasePort;

    @BeforeAll
    static void durableDatabase() throws IOException {
        databaseDir = fresh(Path.of("target", "faults-pg"));
        databasePort = KerbexProcess.freePort();
        database = EmbeddedDatabase.start(databaseDir, databasePort);
    }

    @AfterAll
    static void stopDatabase() {
        if (database != null) {
            database.close();
        }
    }

    /** Made once: every service on the database must share its key-encryption key. */
    private static Map<String, String> environment;

    /** The usual test environment (KDC, keytab, bootstrap file) on the test's database; rate limit off. */
    private static Map<String, String> config(EmbeddedDatabase db) {
        if (environment == null) {
            environment = new KerbexTestResource() {
                @Override
                protected EmbeddedDatabase database() {
                    return db;
                }
            }.start();
        }
        Map<String, String> config = new HashMap<>(environment);
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        config.put("kerbex.rate-limit.per-client-per-second", "0");
        config.put("kerbex.database.allow-non-durable", "false");
        return config;
    }

    @Test
    void databaseKilledUnderLoadThen503WhileDownRecoversAndEvery200Audited() throws Exception {
        try (KerbexProcess kerbex = KerbexProcess.start("faults-db-kill", config(database));
                ExchangeLoad load = ExchangeLoad.start("dbkill", kerbex.uri(TOKEN), 4)) {
            await(() -> load.count(200) >= 50, "50 tokens before the kill");
            ProcessHandle postmaster = OrphanPostmaster.find(databaseDir).orElseThrow();
            List<ProcessHandle> backends = postmaster.descendants().toList();
            postmaster.destroyForcibly();
            postmaster.onExit().join();
            // Its backends notice the postmaster's death and exit; until then its shared memory is in use.
            for (ProcessHandle backend : backends) {
                backend.onExit().get(30, TimeUnit.SECONDS);
            }
            await(() -> load.count(503) >= 5, "503 while the database is down");
            try {
                database.close(); // releases zonky's lock; stopping the dead server fails, which is expected
            } catch (RuntimeException expected) {
                // nothing to stop
            }
            database = restart();
            int before = load.count(200);
            await(() -> load.count(200) >= before + 50, "tokens again after the restart, without restarting Kerbex");
            load.close();
            assertNothingLost(load, database.jdbcUrl(), kerbex);
        }
    }

    @Test
    void serviceKilledUnderLoadThenRestartsOnSameDataAndEvery200Audited() throws Exception {
        Path dir = fresh(Path.of("target", "faults-embedded"));
        Map<String, String> config = config(database);
        config.keySet().removeIf(k -> k.startsWith("quarkus.datasource."));
        config.remove("kerbex.database.allow-non-durable");
        config.put("kerbex.embedded-db.dir", dir.toString());
        KerbexProcess first = KerbexProcess.start("faults-service-kill-1", config);
        try (ExchangeLoad load = ExchangeLoad.start("svckill", first.uri(TOKEN), 4)) {
            await(() -> load.count(200) >= 50, "50 tokens before the kill");
            first.kill();
            assertThat(OrphanPostmaster.find(dir.toAbsolutePath())).as("the embedded PostgreSQL outlived Kerbex").isPresent();
            try (KerbexProcess second = KerbexProcess.start("faults-service-kill-2", config)) {
                load.retarget(second.uri(TOKEN));
                int before = load.count(200);
                await(() -> load.count(200) >= before + 50, "tokens from the restarted service");
                load.close();
                String port = Files.readAllLines(dir.resolve("postmaster.pid")).get(3).trim();
                assertNothingLost(load, "jdbc:postgresql://127.0.0.1:" + port + "/postgres", second);
                assertThat(second.log()).contains("still running on");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void poolExhaustedThen503Or429NeverA500() throws Exception {
        Map<String, String> config = config(database);
        config.put("quarkus.datasource.jdbc.max-size", "2");
        config.put("quarkus.datasource.jdbc.acquisition-timeout", "1S");
        try (KerbexProcess kerbex = KerbexProcess.start("faults-pool", config);
                ExchangeLoad load = ExchangeLoad.start("pool", kerbex.uri(TOKEN), 6)) {
            await(() -> load.count(200) >= 20, "tokens before the pool is exhausted");
            // Every issued token's audit insert now waits on the lock, holding its connection: the pool runs dry.
            try (Connection lock = DriverManager.getConnection(database.jdbcUrl(), "postgres", "postgres");
                    Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                s.execute("LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE");
                await(() -> load.count(503) + load.count(429) >= 5, "refusals while the pool is exhausted");
                lock.rollback();
            }
            int before = load.count(200);
            await(() -> load.count(200) >= before + 20, "tokens again once connections are free");
            load.close();
            assertNothingLost(load, database.jdbcUrl(), kerbex);
        }
    }

    /** Every 200 has its audit row; no 500 or other unexpected answer; no answered AP-REQ is accepted again. */
    private static void assertNothingLost(ExchangeLoad load, String jdbcUrl, KerbexProcess kerbex) throws Exception {
        System.out.printf("%s: statuses %s%n", kerbex.name(), load.statusCounts());
        assertThat(load.unexpected).as("answers other than 200, 429 and 503").isEmpty();
        assertThat(load.statuses).doesNotContainKey(500);
        Set<String> answered = load.issued.keySet();
        Set<String> audited = ExchangeLoad.auditedIssued(jdbcUrl, answered);
        assertThat(answered).as("every 200 has its issued audit row").hasSameElementsAs(audited);
        HttpClient http = HttpClient.newHttpClient();
        int replayed = 0;
        for (Map.Entry<String, String> e : load.issued.entrySet()) {
            String body = TokenRequests.exchange().param("subject_token_type", TokenRequests.AP_REQ)
                    .param("subject_token", e.getValue()).param("audience", KerbexTestResource.LEDGER).body();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(kerbex.uri(TOKEN))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                replayed++;
            }
        }
        assertThat(replayed).as("AP-REQs accepted a second time").isZero();
        System.out.printf("%s: %d tokens answered, all audited, none replayable%n", kerbex.name(), answered.size());
    }

    private static String basic() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (KerbexTestResource.BILLING + ":" + KerbexTestResource.BILLING_SECRET).getBytes());
    }

    /** The killed server's backends exit when they notice; until then its shared memory is in use. */
    private static EmbeddedDatabase restart() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                return EmbeddedDatabase.start(databaseDir, databasePort);
            } catch (RuntimeException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(BOUND);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + BOUND + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir).toAbsolutePath();
    }
}
