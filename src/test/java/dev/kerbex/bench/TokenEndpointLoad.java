package dev.kerbex.bench;

import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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
        ClosedLoop.run(URI.create(baseUrl + "/tenants/bench/oauth2/token"), null, bodies, concurrency);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
