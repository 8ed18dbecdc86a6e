package dev.kerbex.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;

/**
 * Valid Kerberos token exchanges (alice for the ledger audience, client billing) from a few threads against a
 * packaged service, each with its own {@code X-Request-Id}, for the fault tests: it remembers every 200 (request id
 * and AP-REQ) and counts every status, so that the answers can be matched against the audit trail afterwards.
 */
public final class ExchangeLoad implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String prefix;
    private volatile URI token;
    private volatile boolean running = true;
    /** Request id → AP-REQ (base64) of every 200. */
    public final Map<String, String> issued = new ConcurrentHashMap<>();
    public final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    /** Bodies of answers that are neither 200 nor an expected refusal, for the failure message. */
    public final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    private ExchangeLoad(String prefix, URI token) {
        this.prefix = prefix;
        this.token = token;
    }

    /** Starts {@code threads} closed-loop clients against {@code token} (the token endpoint's URL). */
    public static ExchangeLoad start(String prefix, URI token, int threads) {
        ExchangeLoad load = new ExchangeLoad(prefix, token);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(load::loop, prefix + "-load-" + i);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    /** Points the clients at another URL (the service restarted on another port). */
    public void retarget(URI newToken) {
        this.token = newToken;
    }

    public int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    public Map<Integer, Integer> statusCounts() {
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private void loop() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (KerbexTestResource.BILLING + ":" + KerbexTestResource.BILLING_SECRET).getBytes(StandardCharsets.UTF_8));
        while (running) {
            String apReq = GssTokens.aliceKrb5Base64();
            String body = TokenRequests.exchange().param("subject_token_type", TokenRequests.AP_REQ)
                    .param("subject_token", apReq).param("audience", KerbexTestResource.LEDGER).body();
            String id = prefix + "-" + sequence.incrementAndGet();
            int status;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(token).timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                        .header("X-Request-Id", id).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                if (status == 200) {
                    issued.put(id, apReq);
                } else if (status != 503 && status != 429) {
                    unexpected.add(status + " " + r.body());
                }
            } catch (java.io.IOException e) {
                status = -1; // connection refused or reset: the service is down
                sleepQuietly();
            } catch (InterruptedException e) {
                return;
            }
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    /** The request ids among {@code ids} that have an {@code issued} audit row in the database at {@code jdbcUrl}. */
    public static Set<String> auditedIssued(String jdbcUrl, Set<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                PreparedStatement s = c.prepareStatement(
                        "SELECT request_id FROM audit_event WHERE outcome = 'issued' AND request_id = ANY (?)")) {
            Array array = c.createArrayOf("varchar", ids.toArray());
            s.setArray(1, array);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(r.getString(1));
                }
            }
        }
        return found;
    }
}
