package dev.kerbex.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar target/quarkus-app/quarkus-run.jar}, built by {@code package} before
 * failsafe runs) as a child process on a free loopback port, configured with system properties, the way an
 * operator runs it. Waits until {@code /q/health/ready} answers 200 on the management port; {@link #close()} stops it. Its output goes
 * to {@code target/<name>.log}.
 */
public final class KerbexProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private KerbexProcess(String name, Process process, int port, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    public static KerbexProcess start(String name, Map<String, String> properties) throws IOException, InterruptedException {
        return start(name, freePort(), properties);
    }

    /**
     * On a port the caller chose beforehand (from {@link #freePort()}), for a test whose bootstrap file must already
     * name the service's own URLs (a policy matching the tenant's issuer, say).
     */
    public static KerbexProcess start(String name, int port, Map<String, String> properties)
            throws IOException, InterruptedException {
        Map<String, String> props = new TreeMap<>(properties);
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("quarkus.http.host", "127.0.0.1");
        // Health and metrics: the management interface, on its own free port.
        int managementPort = freePort();
        props.put("quarkus.management.port", Integer.toString(managementPort));
        props.put("quarkus.management.host", "127.0.0.1");
        props.putIfAbsent("kerbex.public-url", "http://127.0.0.1:" + port);
        if (props.containsKey("quarkus.datasource.jdbc.url")) {
            // An external database in a test is a throw-away one (EmbeddedDatabase.startTemporary, fsync off).
            props.putIfAbsent("kerbex.database.allow-non-durable", "true");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: tests run several services on two cores.
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString());
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KerbexProcess kerbex = new KerbexProcess(name, process, port, managementPort, log);
        kerbex.awaitReady(Duration.ofSeconds(90));
        return kerbex;
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Health ({@code /q/health/*}) and metrics ({@code /q/metrics}) are here, not on {@link #baseUrl()}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady(Duration limit) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kerbex exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("Kerbex was not ready within " + limit + ":\n" + log());
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is stopped cleanly (an embedded postmaster stays behind). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
