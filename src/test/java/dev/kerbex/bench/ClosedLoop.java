package dev.kerbex.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed loop of {@code concurrency} HTTP/1.1 clients posting form bodies, one request per body, each client
 * sending its next request when the previous answer is in; prints throughput, the statuses and latency percentiles.
 */
final class ClosedLoop {
    private ClosedLoop() {
    }

    static void run(URI uri, String authorization, List<String> bodies, int concurrency) throws InterruptedException {
        int requests = bodies.size();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)));
                    if (authorization != null) {
                        req.header("Authorization", authorization);
                    }
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
}
