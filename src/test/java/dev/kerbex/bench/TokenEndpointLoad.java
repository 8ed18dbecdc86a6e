package dev.kerbex.bench;

import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load generator for the token endpoint: every request carries a distinct AP-REQ (forged
 * beforehand with the service key, so forging costs nothing during the run) and goes the whole way —
 * verification, replay insert, policy, ES256 signing, audit insert. Used by bench/load.sh.
 *
 * <pre>prepare DIR                      writes DIR/bench.keytab and DIR/tenants.json
 * run URL REQUESTS CONCURRENCY       prints throughput and latency percentiles</pre>
 */
public final class TokenEndpointLoad {
    static final String SECRET = "bench-client-secret";
    static final String AUDIENCE = "https://api.bench.test";

    private TokenEndpointLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]));
        } else if (args.length == 4 && args[0].equals("run")) {
            run(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            System.err.println("usage: prepare DIR | run URL REQUESTS CONCURRENCY");
            System.exit(2);
        }
    }

    static void prepare(Path dir) throws Exception {
        Files.createDirectories(dir);
        new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("bench.keytab"));
        Files.writeString(dir.resolve("tenants.json"), """
                {"tenants": [{"id": "bench", "realms": ["EXAMPLE.TEST"], "services": ["%s"],
                  "clients": [{"client_id": "bench", "secret": "%s", "rate_limit": 100000}],
                  "policies": [{"name": "bench", "effect": "allow", "priority": 100,
                    "match": {"clients": ["bench"], "subjects": ["*@EXAMPLE.TEST"], "audiences": ["%s"]},
                    "grant": {"scopes": ["read"], "default_scopes": ["read"], "max_lifetime": "PT10M"}}]}]}
                """.formatted(TestKdc.SERVICE, SECRET, AUDIENCE));
    }

    static void run(String baseUrl, int requests, int concurrency) throws Exception {
        List<String> bodies = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            String token = Base64.getEncoder().encodeToString(
                    TicketForge.gssWrap(TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD).apReq()));
            bodies.add("grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                    + "&subject_token_type=" + enc("urn:kerbex:token-type:kerberos-ap-req")
                    + "&subject_token=" + enc(token) + "&audience=" + enc(AUDIENCE)
                    + "&client_id=bench&client_secret=" + SECRET);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(baseUrl + "/tenants/bench/oauth2/token");
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    latencies[i] = System.nanoTime() - t0;
                    statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("requests=%d concurrency=%d statuses=%s%n", requests, concurrency, statuses);
        System.out.printf("throughput=%.0f req/s  p50=%.1f ms  p95=%.1f ms  p99=%.1f ms  max=%.1f ms%n",
                requests / seconds, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                latencies[requests - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
