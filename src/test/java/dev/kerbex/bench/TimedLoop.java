package dev.kerbex.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed loop of {@code threads} HTTP/1.1 clients, each sending its next request when the previous answer is in, for
 * a warm-up period and then a measured window. Only requests that start and end inside the window count; the
 * {@link Window} hooks run exactly at the window's edges (the server CPU readings are taken there).
 */
final class TimedLoop {

    /** Builds the request a client thread sends next; called from that thread. */
    interface Requests {
        HttpRequest next(int thread, boolean measured);
    }

    /** Called by the coordinating thread when the measured window opens and when it closes. */
    interface Window {
        void open();

        void close();
    }

    /** What one measured window saw. Latencies in nanoseconds, sorted. */
    record Result(int threads, double seconds, long[] latencies, Map<Integer, Integer> statuses) {
        long ok() {
            return statuses.getOrDefault(200, 0);
        }

        long errors() {
            return latencies.length - ok();
        }

        double throughput() {
            return ok() / seconds;
        }

        double percentileMs(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, i))] / 1e6;
        }

        double maxMs() {
            return latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6;
        }
    }

    private TimedLoop() {
    }

    static Result run(HttpClient http, int threads, Duration warmup, Duration measure, Requests requests, Window window)
            throws InterruptedException {
        long open = System.nanoTime() + warmup.toNanos();
        long close = open + measure.toNanos();
        List<Recorder> recorders = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Recorder recorder = new Recorder();
            recorders.add(recorder);
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (long now = System.nanoTime(); now < close; now = System.nanoTime()) {
                        HttpRequest request = requests.next(thread, now >= open);
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= open && t1 <= close) {
                            recorder.add(t1 - t0, status);
                        }
                    }
                } catch (RuntimeException e) {
                    System.err.println("load thread " + thread + " failed: " + e);
                } finally {
                    done.countDown();
                }
            }, "load-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        sleepUntil(open);
        window.open();
        sleepUntil(close);
        window.close();
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load threads did not finish within 60 s after the window");
        }
        long[] all = new long[recorders.stream().mapToInt(r -> r.count).sum()];
        Map<Integer, Integer> statuses = new TreeMap<>();
        int at = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.latencies, 0, all, at, r.count);
            at += r.count;
            r.statuses.forEach((k, v) -> statuses.merge(k, v, Integer::sum));
        }
        Arrays.sort(all);
        return new Result(threads, measure.toNanos() / 1e9, all, statuses);
    }

    /** One client thread's measurements; read by the coordinator only after the thread has finished. */
    private static final class Recorder {
        long[] latencies = new long[4096];
        int count;
        final Map<Integer, Integer> statuses = new TreeMap<>();

        void add(long latency, int status) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = latency;
            statuses.merge(status, 1, Integer::sum);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
