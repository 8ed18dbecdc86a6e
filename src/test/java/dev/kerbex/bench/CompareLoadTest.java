package dev.kerbex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kerbex.bench.CompareLoad.Row;
import dev.kerbex.bench.CompareLoad.Target;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bench kit's own arithmetic and bookkeeping (the figures of bench/README.md rest on it). */
class CompareLoadTest {

    @Test
    void resultPercentilesWhenHundredLatenciesThenNearestRank() {
        long[] ms = new long[100];
        for (int i = 0; i < 100; i++) {
            ms[i] = (i + 1) * 1_000_000L;
        }
        TimedLoop.Result r = new TimedLoop.Result(4, 2.0, ms, Map.of(200, 90, 503, 10));

        assertThat(r.percentileMs(50)).isEqualTo(50.0);
        assertThat(r.percentileMs(90)).isEqualTo(90.0);
        assertThat(r.percentileMs(99)).isEqualTo(99.0);
        assertThat(r.maxMs()).isEqualTo(100.0);
        assertThat(r.ok()).isEqualTo(90);
        assertThat(r.errors()).isEqualTo(10);
        assertThat(r.throughput()).isEqualTo(45.0);
    }

    @Test
    void timedLoopWhenServerAnswersSomeErrorsThenCountsThemAndOpensWindowOnce() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger served = new AtomicInteger();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(served.incrementAndGet() % 4 == 0 ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            List<String> events = new ArrayList<>();
            TimedLoop.Result r = TimedLoop.run(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), 2,
                    Duration.ofSeconds(1), Duration.ofSeconds(6), (thread, measured) -> HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    new TimedLoop.Window() {
                        @Override
                        public void open() {
                            events.add("open");
                        }

                        @Override
                        public void close() {
                            events.add("close");
                        }
                    });

            assertThat(events).containsExactly("open", "close");
            assertThat(r.statuses()).containsOnlyKeys(200, 503);
            assertThat(r.ok() + r.errors()).isEqualTo(r.latencies().length).isLessThan(served.get());
            assertThat(r.errors()).isPositive();
            assertThat(r.seconds()).isEqualTo(6.0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void rowWhenWrittenAndReadThenSameFiguresAndNaNsStayEmpty() {
        Row row = new Row(Target.KEYCLOAK, 8, 9000, 3, "{200=9000, 503=3}", 600.0, 10.5, 14.25, 20.0, 55.5, 2.6,
                1.56, Double.NaN, 0.3, 0.98, 512, 0);

        String csv = row.csv();
        Row back = Row.parse(csv);

        assertThat(csv).contains(",,");
        assertThat(back.statuses()).isEqualTo("{200=9000, 503=3}");
        assertThat(back.dbMsPerExchange()).isNaN();
        assertThat(back.threads()).isEqualTo(8);
        assertThat(back.p99()).isEqualTo(20.0);
        assertThat(back.cpuMsPerExchange()).isEqualTo(2.6);
    }

    @Test
    void markdownWhenKeycloakMeasuredThenRatioPerThreadCount() {
        List<Row> rows = List.of(
                row(Target.KERBEROS, 4, 1800), row(Target.KEYCLOAK, 4, 600), row(Target.JWT, 4, 1500),
                row(Target.KERBEROS, 8, 2000), row(Target.KEYCLOAK, 8, 500));

        String md = CompareLoad.markdown(rows, "title");

        assertThat(md).contains("| 4 | 3.00× | 2.50× |").contains("| 8 | 4.00× | – |");
    }

    @Test
    void processMeterWhenOwnProcessThenCpuAndRssAndWhenNoSuchProcessThenNaN() {
        long self = ProcessHandle.current().pid();

        assertThat(ProcessMeter.cpuSeconds(self)).isPositive();
        assertThat(ProcessMeter.rssMiB(self)).isPositive();
        assertThat(ProcessMeter.cpuSeconds(Long.MAX_VALUE)).isNaN();
        assertThat(ProcessMeter.machine()[1]).isGreaterThanOrEqualTo(ProcessMeter.machine()[0]).isPositive();
    }

    private static Row row(Target target, int threads, double throughput) {
        return new Row(target, threads, (long) throughput * 15, 0, "{200=1}", throughput, 1, 2, 3, 4, 0.5, 0.5, 0.3,
                0.1, 0.9, 300, 0);
    }
}
