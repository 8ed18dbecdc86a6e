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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;

/**
 * The load generator of bench/compare.sh: the same closed loop ({@link TimedLoop}) against Kerbex's three paths and
 * Keycloak's standard token exchange, interleaved (for each client-thread count, every path in turn), each point a
 * warm-up and then a measured window; server CPU and RSS read from /proc at the window's edges ({@link ProcessMeter}).
 * Writes results.csv and results.md, and the chart through {@link CompareChart}.
 *
 * <pre>prepare DIR [REALM_DIR]    writes DIR/bench.keytab and DIR/tenants.json (tenant bench; with REALM_DIR also
 *                            tenant s4u for the MIT realm of scripts/s4u-realm.sh)
 * run key=value...           kerbex=URL kerbex.pid=N pg.pid=N jdbc=URL [keycloak=URL keycloak.pid=N] [inverse=true]
 *                            [threads=1,4,8,16] [warmup=10] [measure=15] [subjects=64] [forge-rate=3000] out=DIR
 *                            [title=...]
 * report DIR [title]         re-writes DIR/results.md and DIR/compare.svg from DIR/results.csv</pre>
 */
public final class CompareLoad {
    static final String SECRET = "bench-client-secret";
    static final String API = "https://api.bench.test";
    static final String GATEWAY = "https://gateway.bench.test";
    static final String KEYCLOAK_CLIENT = "bench-requester";
    static final String KEYCLOAK_SECRET = "bench-requester-secret";
    static final String KEYCLOAK_TARGET = "bench-target";
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final Pattern ACCESS_TOKEN_JSON = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    /** The measured paths, in the order they run at each thread count. */
    enum Target {
        KERBEROS("kerbex-kerberos", "Kerbex Kerberos → JWT", "#1f77b4"),
        KEYCLOAK("keycloak", "Keycloak JWT → JWT", "#d62728"),
        JWT("kerbex-jwt", "Kerbex JWT → narrower JWT", "#2ca02c"),
        INVERSE("kerbex-inverse", "Kerbex JWT → Kerberos ticket (S4U)", "#9467bd");

        final String id;
        final String label;
        final String color;

        Target(String id, String label, String color) {
            this.id = id;
            this.label = label;
            this.color = color;
        }

        static Target of(String id) {
            return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst().orElseThrow();
        }
    }

    /** One measured point; NaN where a figure does not apply (no database process for Keycloak's dev-file H2). */
    record Row(Target target, int threads, long ok, long errors, String statuses, double throughput, double p50,
               double p90, double p99, double max, double cpuMsPerExchange, double serverCores, double dbMsPerExchange,
               double loadCores, double machineBusy, double rssMiB, long inlineForged) {

        static final String HEADER = "target,threads,ok,errors,statuses,throughput,p50_ms,p90_ms,p99_ms,max_ms,"
                + "server_cpu_ms_per_exchange,server_cores,db_cpu_ms_per_exchange,loadgen_cores,machine_busy,rss_mib,"
                + "inline_forged";

        String csv() {
            return String.join(",", target.id, Integer.toString(threads), Long.toString(ok), Long.toString(errors),
                    statuses.replace(',', ';'), f(throughput, 1), f(p50, 2), f(p90, 2), f(p99, 2), f(max, 2),
                    f(cpuMsPerExchange, 3), f(serverCores, 2), f(dbMsPerExchange, 3), f(loadCores, 2),
                    f(machineBusy, 2), f(rssMiB, 0), Long.toString(inlineForged));
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            return new Row(Target.of(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    f[4].replace(';', ','), d(f[5]), d(f[6]), d(f[7]), d(f[8]), d(f[9]), d(f[10]), d(f[11]), d(f[12]),
                    d(f[13]), d(f[14]), d(f[15]), Long.parseLong(f[16]));
        }

        private static double d(String s) {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
    }

    private CompareLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), args.length > 2 ? Path.of(args[2]) : null);
        } else if (args.length >= 1 && args[0].equals("run")) {
            Map<String, String> opts = new LinkedHashMap<>();
            for (String a : Arrays.asList(args).subList(1, args.length)) {
                int eq = a.indexOf('=');
                opts.put(a.substring(0, eq), a.substring(eq + 1));
            }
            run(opts);
        } else if (args.length >= 2 && args[0].equals("report")) {
            Path dir = Path.of(args[1]);
            List<Row> rows = Files.readAllLines(dir.resolve("results.csv")).stream().skip(1).filter(l -> !l.isBlank())
                    .map(Row::parse).toList();
            String title = args.length > 2 ? args[2] : "";
            Files.writeString(dir.resolve("results.md"), markdown(rows, title));
            Files.writeString(dir.resolve("compare.svg"), CompareChart.svg(rows, title));
        } else {
            System.err.println("usage: prepare DIR [REALM_DIR] | run key=value... | report DIR [title]");
            System.exit(2);
        }
    }

    /** The bench tenant: forward policy to api and gateway, and a narrowing JWT policy (read write → read on api). */
    static void prepare(Path dir, Path realm) throws Exception {
        Files.createDirectories(dir);
        new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("bench.keytab"));
        String bench = """
                {"id": "bench", "realms": ["EXAMPLE.TEST"], "services": ["%s"],
                  "clients": [{"client_id": "bench", "secret": "%s", "rate_limit": 100000, "audiences": ["%s"]}],
                  "policies": [
                    {"name": "kerberos-to-api", "effect": "allow", "priority": 100,
                     "match": {"clients": ["bench"], "subject_token_types": ["urn:kerbex:token-type:kerberos-ap-req"],
                               "subjects": ["*@EXAMPLE.TEST"], "audiences": ["%s", "%s"]},
                     "grant": {"scopes": ["read", "write"], "default_scopes": ["read", "write"], "max_lifetime": "PT1H"}},
                    {"name": "narrow-to-api", "effect": "allow", "priority": 100,
                     "match": {"clients": ["bench"], "subject_token_types": ["%s"], "audiences": ["%s"]},
                     "grant": {"scopes": ["read"], "default_scopes": ["read"], "max_lifetime": "PT10M"}}]}
                """.formatted(TestKdc.SERVICE, SECRET, GATEWAY, API, GATEWAY, ACCESS_TOKEN, API);
        String tenants = realm == null ? bench : bench + ",\n" + InverseExchangeLoad.tenant("s4u", realm);
        Files.writeString(dir.resolve("tenants.json"), "{\"tenants\": [" + tenants + "]}\n");
    }

    static void run(Map<String, String> opts) throws Exception {
        String kerbex = opts.get("kerbex");
        long kerbexPid = Long.parseLong(opts.get("kerbex.pid"));
        long pgPid = Long.parseLong(opts.get("pg.pid"));
        String keycloak = opts.get("keycloak");
        long keycloakPid = Long.parseLong(opts.getOrDefault("keycloak.pid", "-1"));
        boolean inverse = Boolean.parseBoolean(opts.getOrDefault("inverse", "false"));
        int[] threadCounts = Arrays.stream(opts.getOrDefault("threads", "1,4,8,16").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration warmup = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("warmup", "10")));
        Duration measure = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("measure", "15")));
        int subjects = Integer.parseInt(opts.getOrDefault("subjects", "64"));
        int forgeRate = Integer.parseInt(opts.getOrDefault("forge-rate", "3000"));
        Path out = Path.of(opts.get("out"));
        String title = opts.getOrDefault("title", "");
        Files.createDirectories(out);

        String durability = durability(opts.get("jdbc"));
        System.out.println("database: " + durability);
        if (!durability.equals("fsync=on synchronous_commit=on")) {
            throw new IllegalStateException("the database is not durable (" + durability + "): refusing to measure");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Map<Target, Driver> drivers = new LinkedHashMap<>();
        URI kerbexToken = URI.create(kerbex + "/tenants/bench/oauth2/token");
        String kerbexBasic = basic("bench", SECRET);
        Forge forge = new Forge();
        drivers.put(Target.KERBEROS, new ForgingDriver(kerbexToken, kerbexBasic, kerbexPid, pgPid, forge, forgeRate));
        if (keycloak != null && !keycloak.isBlank()) {
            URI kcToken = URI.create(keycloak + "/realms/bench/protocol/openid-connect/token");
            String kcBasic = basic(KEYCLOAK_CLIENT, KEYCLOAK_SECRET);
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < subjects; i++) {
                String cc = accessToken(http, kcToken, kcBasic, "grant_type=client_credentials");
                bodies.add("grant_type=" + enc(TOKEN_EXCHANGE) + "&subject_token_type=" + enc(ACCESS_TOKEN)
                        + "&subject_token=" + enc(cc) + "&audience=" + enc(KEYCLOAK_TARGET));
            }
            drivers.put(Target.KEYCLOAK, new CyclingDriver(kcToken, kcBasic, keycloakPid, -1, bodies));
        }
        List<String> jwtBodies = new ArrayList<>();
        for (int i = 0; i < subjects; i++) {
            String jwt = accessToken(http, kerbexToken, kerbexBasic, "grant_type=" + enc(TOKEN_EXCHANGE)
                    + "&subject_token_type=" + enc("urn:kerbex:token-type:kerberos-ap-req")
                    + "&subject_token=" + enc(forge.gss()) + "&audience=" + enc(GATEWAY));
            jwtBodies.add("grant_type=" + enc(TOKEN_EXCHANGE) + "&subject_token_type=" + enc(ACCESS_TOKEN)
                    + "&subject_token=" + enc(jwt) + "&audience=" + enc(API) + "&scope=read");
        }
        drivers.put(Target.JWT, new CyclingDriver(kerbexToken, kerbexBasic, kerbexPid, pgPid, jwtBodies));
        if (inverse) {
            URI s4uToken = URI.create(kerbex + "/tenants/s4u/oauth2/token");
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < subjects; i++) {
                bodies.add(InverseExchangeLoad.body(InverseExchangeLoad.subjectToken(s4uToken)));
            }
            drivers.put(Target.INVERSE, new CyclingDriver(s4uToken, InverseExchangeLoad.basic(), kerbexPid, pgPid, bodies));
        }
        for (Map.Entry<Target, Driver> e : drivers.entrySet()) {
            HttpResponse<String> probe = http.send(e.getValue().request(false), HttpResponse.BodyHandlers.ofString());
            if (probe.statusCode() != 200) {
                throw new IllegalStateException(e.getKey().label + " does not answer 200 but " + probe.statusCode()
                        + ": " + probe.body());
            }
        }

        // The JVMs (Kerbex's, Keycloak's, the load generator's) get their first traffic here, not in the first point.
        int most = Arrays.stream(threadCounts).max().orElse(1);
        System.out.printf("warming every path up: %d threads, %d s each%n", most, warmup.toSeconds());
        for (Driver driver : drivers.values()) {
            TimedLoop.run(http, most, warmup, Duration.ZERO, (thread, measured) -> driver.request(false),
                    new TimedLoop.Window() {
                        @Override
                        public void open() {
                        }

                        @Override
                        public void close() {
                        }
                    });
        }

        List<Row> rows = new ArrayList<>();
        Path csv = out.resolve("results.csv");
        Files.writeString(csv, Row.HEADER + "\n");
        System.out.printf("%-38s %3s %8s %6s %8s %8s %8s %8s %9s %9s %6s %7s%n", "path", "thr", "req/s", "errors",
                "p50 ms", "p90 ms", "p99 ms", "max ms", "cpu ms/ex", "db ms/ex", "busy", "RSS MiB");
        for (int threads : threadCounts) {
            for (Map.Entry<Target, Driver> e : drivers.entrySet()) {
                Row row = e.getValue().point(http, e.getKey(), threads, warmup, measure);
                rows.add(row);
                Files.writeString(csv, row.csv() + "\n", java.nio.file.StandardOpenOption.APPEND);
                System.out.printf(Locale.ROOT, "%-38s %3d %8.0f %6d %8.2f %8.2f %8.2f %8.2f %9.3f %9.3f %5.0f%% %7.0f%s%n",
                        row.target().label, threads, row.throughput(), row.errors(), row.p50(), row.p90(), row.p99(),
                        row.max(), row.cpuMsPerExchange(), row.dbMsPerExchange(), row.machineBusy() * 100, row.rssMiB(),
                        row.errors() > 0 ? "  statuses " + row.statuses() : "");
            }
        }
        String md = markdown(rows, title);
        Files.writeString(out.resolve("results.md"), md);
        Files.writeString(out.resolve("compare.svg"), CompareChart.svg(rows, title));
        System.out.println();
        System.out.print(md);
    }

    /** The results as Markdown: one table of every point, then the Kerbex / Keycloak ratios per thread count. */
    static String markdown(List<Row> rows, String title) {
        StringBuilder md = new StringBuilder();
        if (!title.isBlank()) {
            md.append(title).append("\n\n");
        }
        md.append("| path | client threads | exchanges/s | errors | p50 ms | p90 ms | p99 ms | max ms "
                + "| server CPU ms/exchange | server cores | PostgreSQL CPU ms/exchange | load generator cores "
                + "| machine busy | server RSS MiB | notes |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %d%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.target().label, r.threads(), f(r.throughput(), 0), r.errors(),
                    r.errors() > 0 ? " (" + r.statuses() + ")" : "", f(r.p50(), 1), f(r.p90(), 1), f(r.p99(), 1),
                    f(r.max(), 1), f(r.cpuMsPerExchange(), 2), f(r.serverCores(), 2), dash(r.dbMsPerExchange(), 2),
                    f(r.loadCores(), 2), f(r.machineBusy() * 100, 0) + " %", f(r.rssMiB(), 0),
                    r.inlineForged() > 0 ? r.inlineForged() + " AP-REQs forged during the window" : ""));
        }
        List<Integer> threads = rows.stream().map(Row::threads).distinct().toList();
        List<Row> keycloak = rows.stream().filter(r -> r.target() == Target.KEYCLOAK).toList();
        if (!keycloak.isEmpty()) {
            md.append("\n| client threads | Kerberos → JWT / Keycloak | JWT → JWT / Keycloak |\n|---|---|---|\n");
            for (int t : threads) {
                md.append("| ").append(t).append(" | ").append(ratio(rows, Target.KERBEROS, t)).append(" | ")
                        .append(ratio(rows, Target.JWT, t)).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String ratio(List<Row> rows, Target target, int threads) {
        double mine = find(rows, target, threads);
        double theirs = find(rows, Target.KEYCLOAK, threads);
        return Double.isNaN(mine) || Double.isNaN(theirs) || theirs == 0 ? "–"
                : String.format(Locale.ROOT, "%.2f×", mine / theirs);
    }

    private static double find(List<Row> rows, Target target, int threads) {
        return rows.stream().filter(r -> r.target() == target && r.threads() == threads)
                .mapToDouble(Row::throughput).findFirst().orElse(Double.NaN);
    }

    private static String durability(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
            return "fsync=" + show(s, "fsync") + " synchronous_commit=" + show(s, "synchronous_commit");
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String accessToken(HttpClient http, URI token, String basic, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(token).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN_JSON.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException(token + " answered " + r.statusCode() + ": " + r.body());
        }
        return m.group(1);
    }

    private static String kerberosBody(String gss) {
        return "grant_type=" + enc(TOKEN_EXCHANGE) + "&subject_token_type=" + enc("urn:kerbex:token-type:kerberos-ap-req")
                + "&subject_token=" + enc(gss) + "&audience=" + enc(API);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String dash(double v, int decimals) {
        return Double.isNaN(v) ? "–" : f(v, decimals);
    }

    /**
     * Fresh GSS-framed AP-REQs for the bench service: a new ticket and session key each, sealed with the service key
     * derived once, every authenticator's ctime one microsecond after the last so none is a replay.
     */
    static final class Forge {
        private final EncryptionKey key = TestKeytab.key(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, "aes256-cts-hmac-sha1-96");
        private final AtomicLong lastMicros = new AtomicLong();

        String gss() {
            long now = System.currentTimeMillis() * 1000;
            long micros = lastMicros.updateAndGet(last -> Math.max(now, last + 1));
            Instant ctime = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
            return Base64.getEncoder().encodeToString(
                    TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD).serviceKey(key).ctime(ctime).gss());
        }
    }

    /** One path under load: its request, the processes metered, and one point's measurement. */
    abstract static class Driver {
        final URI uri;
        final String basic;
        final long serverPid;
        final long dbPid;

        Driver(URI uri, String basic, long serverPid, long dbPid) {
            this.uri = uri;
            this.basic = basic;
            this.serverPid = serverPid;
            this.dbPid = dbPid;
        }

        abstract String body(boolean measured);

        /** Called before the point's warm-up starts. */
        void beforePoint(Duration measured) {
        }

        /** Called as the measured window opens, before the CPU readings. */
        void windowOpens() {
        }

        long inlineForged() {
            return 0;
        }

        HttpRequest request(boolean measured) {
            return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                    .POST(HttpRequest.BodyPublishers.ofString(body(measured))).build();
        }

        Row point(HttpClient http, Target target, int threads, Duration warmup, Duration measure) throws Exception {
            beforePoint(measure);
            double[] at = new double[8];
            long[][] machine = new long[2][];
            TimedLoop.Result r = TimedLoop.run(http, threads, warmup, measure, (thread, measured) -> request(measured),
                    new TimedLoop.Window() {
                        @Override
                        public void open() {
                            windowOpens();
                            at[0] = ProcessMeter.cpuSeconds(serverPid);
                            at[1] = dbPid > 0 ? ProcessMeter.treeCpuSeconds(dbPid) : Double.NaN;
                            at[2] = ProcessMeter.cpuSeconds(ProcessHandle.current().pid());
                            machine[0] = ProcessMeter.machine();
                        }

                        @Override
                        public void close() {
                            at[4] = ProcessMeter.cpuSeconds(serverPid);
                            at[5] = dbPid > 0 ? ProcessMeter.treeCpuSeconds(dbPid) : Double.NaN;
                            at[6] = ProcessMeter.cpuSeconds(ProcessHandle.current().pid());
                            machine[1] = ProcessMeter.machine();
                            at[7] = ProcessMeter.rssMiB(serverPid);
                        }
                    });
            double seconds = r.seconds();
            long ok = r.ok();
            double server = at[4] - at[0];
            double db = at[5] - at[1];
            long busy = machine[1][0] - machine[0][0];
            long total = machine[1][1] - machine[0][1];
            return new Row(target, threads, ok, r.errors(), r.statuses().toString(), r.throughput(),
                    r.percentileMs(50), r.percentileMs(90), r.percentileMs(99), r.maxMs(),
                    ok == 0 ? Double.NaN : server * 1000 / ok, server / seconds,
                    ok == 0 ? Double.NaN : db * 1000 / ok, (at[6] - at[2]) / seconds,
                    total == 0 ? Double.NaN : (double) busy / total, at[7], inlineForged());
        }
    }

    /**
     * Kerberos → JWT with a fresh AP-REQ per request. The measured window's AP-REQs are forged beforehand by one thread
     * during the warm-up (it stops when the window opens), sized for four times the previous point's throughput;
     * should the window use them up, the client threads forge the rest themselves (counted in {@code inline_forged}).
     */
    static final class ForgingDriver extends Driver {
        private final Forge forge;
        private final int maxRate;
        private volatile String[] pool = new String[0];
        private final AtomicInteger forged = new AtomicInteger();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicLong inline = new AtomicLong();
        private volatile boolean stop;
        private Thread forger;
        private double lastThroughput = 500;

        ForgingDriver(URI uri, String basic, long serverPid, long dbPid, Forge forge, int maxRate) {
            super(uri, basic, serverPid, dbPid);
            this.forge = forge;
            this.maxRate = maxRate;
        }

        @Override
        void beforePoint(Duration measured) {
            int n = (int) (Math.min(maxRate, Math.max(1000, 4 * lastThroughput)) * measured.toSeconds());
            String[] fresh = new String[n];
            pool = fresh;
            forged.set(0);
            next.set(0);
            inline.set(0);
            stop = false;
            forger = new Thread(() -> {
                for (int i = 0; i < fresh.length && !stop; i++) {
                    fresh[i] = kerberosBody(forge.gss());
                    forged.set(i + 1);
                }
            }, "forger");
            forger.start();
        }

        @Override
        void windowOpens() {
            stop = true;
            try {
                forger.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        String body(boolean measured) {
            if (measured) {
                int i = next.getAndIncrement();
                if (i < forged.get()) {
                    return pool[i];
                }
                inline.incrementAndGet();
            }
            return kerberosBody(forge.gss());
        }

        @Override
        long inlineForged() {
            return inline.get();
        }

        @Override
        Row point(HttpClient http, Target target, int threads, Duration warmup, Duration measure) throws Exception {
            Row row = super.point(http, target, threads, warmup, measure);
            lastThroughput = Double.isNaN(row.throughput()) ? lastThroughput : row.throughput();
            return row;
        }
    }

    /** A path whose requests cycle through a fixed list of bodies (distinct subject tokens). */
    static final class CyclingDriver extends Driver {
        private final List<String> bodies;
        private final AtomicInteger next = new AtomicInteger();

        CyclingDriver(URI uri, String basic, long serverPid, long dbPid, List<String> bodies) {
            super(uri, basic, serverPid, dbPid);
            this.bodies = List.copyOf(bodies);
        }

        @Override
        String body(boolean measured) {
            return bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
        }
    }
}
