package dev.kerbex.bench;

import dev.kerbex.kerberos.ApReqTool;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load generator for the inverse path (bench/inverse.sh): alice's AP-REQ from the MIT realm of
 * scripts/s4u-realm.sh becomes a JWT on the forward path once; then every request exchanges that JWT for a ccache
 * for postgres/db.s4u.test, so each one makes Kerbex do S4U2Self and S4U2Proxy against the real KDC and write its
 * audit row.
 *
 * <pre>prepare DIR REALM_DIR               writes DIR/tenants.json for the realm provisioned in REALM_DIR
 * run URL REQUESTS CONCURRENCY          prints throughput and latency percentiles (java.security.krb5.conf set)</pre>
 */
public final class InverseExchangeLoad {
    static final String SECRET = "bench-gateway-secret";
    static final String KERBEX = "HTTP/kerbex.s4u.test@S4U.TEST";
    static final String TARGET = "postgres/db.s4u.test@S4U.TEST";
    static final String GATEWAY = "https://gateway.bench.test";

    private InverseExchangeLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), Path.of(args[2]).toAbsolutePath());
        } else if (args.length == 4 && args[0].equals("run")) {
            run(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            System.err.println("usage: prepare DIR REALM_DIR | run URL REQUESTS CONCURRENCY");
            System.exit(2);
        }
    }

    static void prepare(Path dir, Path realm) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tenants.json"), "{\"tenants\": [" + tenant("bench", realm) + "]}\n");
    }

    /** The tenant {@code id} of the bootstrap file: forward and inverse policies for client gateway in S4U.TEST. */
    static String tenant(String id, Path realm) {
        return """
                {"id": "%6$s", "realms": ["S4U.TEST"], "services": ["%1$s"],
                  "s4u": {"principal": "%1$s", "keytab": "%2$s", "default_realm": "S4U.TEST"},
                  "clients": [{"client_id": "gateway", "secret": "%3$s", "rate_limit": 100000,
                               "audiences": ["%4$s"]}],
                  "policies": [
                    {"name": "forward", "effect": "allow", "priority": 100,
                     "match": {"clients": ["gateway"], "subject_token_types": ["urn:kerbex:token-type:kerberos-ap-req"],
                               "audiences": ["%4$s"]},
                     "grant": {"scopes": ["db"], "default_scopes": ["db"], "max_lifetime": "PT1H"}},
                    {"name": "inverse", "effect": "allow", "priority": 100,
                     "match": {"clients": ["gateway"], "audiences": ["%5$s"],
                               "requested_token_types": ["urn:kerbex:token-type:kerberos-ccache"]},
                     "grant": {"max_lifetime": "PT10M", "kerberos_targets": ["%5$s"]}}]}
                """.formatted(KERBEX, realm.toAbsolutePath().resolve("kerbex.keytab"), SECRET, GATEWAY, TARGET, id);
    }

    static void run(String baseUrl, int requests, int concurrency) throws Exception {
        URI token = URI.create(baseUrl + "/tenants/bench/oauth2/token");
        ClosedLoop.run(token, basic(), Collections.nCopies(requests, body(subjectToken(token))), concurrency);
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("gateway:" + SECRET).getBytes(StandardCharsets.UTF_8));
    }

    /** A JWT for alice from the forward path: her AP-REQ from the MIT KDC (java.security.krb5.conf set). */
    static String subjectToken(URI token) throws Exception {
        String apReq = Base64.getEncoder().encodeToString(
                ApReqTool.token("alice@S4U.TEST", "alice-password", KERBEX, "1.2.840.113554.1.2.2"));
        HttpResponse<String> forward = HttpClient.newHttpClient().send(HttpRequest.newBuilder(token)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                        + "&subject_token_type=" + enc("urn:kerbex:token-type:kerberos-ap-req")
                        + "&subject_token=" + enc(apReq) + "&audience=" + enc(GATEWAY)))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher jwt = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(forward.body());
        if (forward.statusCode() != 200 || !jwt.find()) {
            throw new IllegalStateException("forward exchange failed: " + forward.statusCode() + " " + forward.body());
        }
        return jwt.group(1);
    }

    /** The inverse exchange's form body: {@code subjectToken} for a ccache for postgres/db.s4u.test. */
    static String body(String subjectToken) {
        return "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token")
                + "&subject_token=" + enc(subjectToken)
                + "&requested_token_type=" + enc("urn:kerbex:token-type:kerberos-ccache")
                + "&audience=" + enc(TARGET);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
