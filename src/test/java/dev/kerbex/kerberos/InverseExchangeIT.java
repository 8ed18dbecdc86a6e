package dev.kerbex.kerberos;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.S4uRealm;
import dev.kerbex.testing.TestDatabase;
import dev.kerbex.testing.TestIdp;
import dev.kerbex.testing.TicketForge;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The inverse path end to end (SPEC §6), as an operator runs it: the packaged service against the MIT realm
 * S4U.TEST. alice's AP-REQ becomes a JWT on the forward path (carrying {@code krb_principal}); that JWT becomes a
 * service ticket for postgres, which MIT's tools and the target's keytab accept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InverseExchangeIT {
    static final String TENANT = "corp";
    static final String CLIENT = "db-gateway";
    static final String SECRET = "db-gateway-secret-0123";
    static final String GATEWAY_AUDIENCE = "https://db-gateway.s4u.test";
    static final String KRB_CRED = "urn:kerbex:token-type:kerberos-krb-cred";
    static final String CCACHE = "urn:kerbex:token-type:kerberos-ccache";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    static final String OTHER_TARGET = "HTTP/other.s4u.test@S4U.TEST";

    static S4uRealm realm;
    static KerbexProcess kerbex;
    static PGSimpleDataSource db;
    static TestIdp idp;

    @BeforeAll
    static void start() throws Exception {
        realm = S4uRealm.shared();
        idp = TestIdp.get();
        EmbeddedDatabase database = TestDatabase.get();
        db = new PGSimpleDataSource();
        db.setURL(database.jdbcUrl());
        db.setUser(database.username());
        db.setPassword(database.password());
        Path bootstrap = Files.createTempFile("kerbex-inverse", ".json");
        Files.writeString(bootstrap, """
                {"tenants": [{
                  "id": "corp",
                  "realms": ["S4U.TEST"],
                  "services": ["%1$s"],
                  "max_token_lifetime": "PT1H",
                  "s4u": {"principal": "%1$s", "keytab": "%2$s", "default_realm": "S4U.TEST"},
                  "clients": [{"client_id": "db-gateway", "secret": "db-gateway-secret-0123",
                               "audiences": ["https://db-gateway.s4u.test"]}],
                  "trusted_issuers": [{"issuer": "%3$s", "jwks_uri": "%4$s"}],
                  "policies": [
                    {"name": "gateway-from-kerberos", "effect": "allow", "priority": 100,
                     "match": {"clients": ["db-gateway"],
                               "subject_token_types": ["urn:kerbex:token-type:kerberos-ap-req"],
                               "subjects": ["*@S4U.TEST"], "audiences": ["https://db-gateway.s4u.test"]},
                     "grant": {"scopes": ["db:connect"], "default_scopes": ["db:connect"], "max_lifetime": "PT10M"}},
                    {"name": "tickets-for-databases", "effect": "allow", "priority": 100,
                     "match": {"clients": ["db-gateway"],
                               "subject_token_types": ["urn:ietf:params:oauth:token-type:access_token",
                                                       "urn:ietf:params:oauth:token-type:jwt"],
                               "audiences": ["postgres/*@S4U.TEST", "HTTP/*@S4U.TEST"],
                               "requested_token_types": ["%5$s", "%6$s"]},
                     "grant": {"max_lifetime": "PT30M",
                               "kerberos_targets": ["%7$s", "%8$s"]}}
                  ]}]}
                """.formatted(S4uRealm.KERBEX, realm.keytab("kerbex"), idp.issuer(), idp.jwksUri(idp.jwksPath()),
                KRB_CRED, CCACHE, S4uRealm.POSTGRES, S4uRealm.WEB), StandardCharsets.UTF_8);
        kerbex = KerbexProcess.start("kerbex-inverse-it", Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password(),
                "kerbex.bootstrap-file", bootstrap.toString(),
                "kerbex.kerberos.keytabs", realm.keytab("kerbex").toString(),
                "kerbex.kerberos.krb5-conf", realm.krb5Conf().toString(),
                "kerbex.key-encryption-key", TestDatabase.KEY_ENCRYPTION_KEY,
                "kerbex.demo.enabled", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kerbex != null) {
            kerbex.close();
        }
        realm.startKdc();
    }

    @Test
    @Order(1)
    void ccacheWhenForwardTokenOfAliceThenMitToolsSeeAliceTicketForPostgres() throws Exception {
        String jwt = aliceJwt();

        Response r = inverse(jwt, CCACHE, S4uRealm.POSTGRES);

        r.then().statusCode(200).header("Cache-Control", "no-store")
                .body("issued_token_type", equalTo(CCACHE)).body("token_type", equalTo("N_A"))
                .body("scope", nullValue());
        Path ccache = Files.createTempFile("kerbex-it", ".ccache");
        Files.write(ccache, Base64.getUrlDecoder().decode(r.path("access_token").toString()));
        assertThat(run("klist", "-c", ccache.toString()))
                .contains("Default principal: alice@S4U.TEST").contains("postgres/db.s4u.test@S4U.TEST");
        assertThat(run("kvno", "-c", ccache.toString(), "--cached-only", "-k", realm.keytab("postgres").toString(),
                S4uRealm.POSTGRES)).contains("keytab entry valid");
    }

    @Test
    @Order(2)
    void ccacheWhenUsedByMitGssSampleClientThenTheTargetServerAcceptsAlice() throws Exception {
        Response r = inverse(aliceJwt(), CCACHE, S4uRealm.POSTGRES);
        r.then().statusCode(200);
        Path ccache = Files.createTempFile("kerbex-it", ".ccache");
        Files.write(ccache, Base64.getUrlDecoder().decode(r.path("access_token").toString()));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // MIT's GSS sample server, with nothing but postgres's keytab, and its client with nothing but the ccache.
        ProcessBuilder server = new ProcessBuilder("gss-server", "-port", Integer.toString(port), "-once",
                "-keytab", realm.keytab("postgres").toString(), "postgres@db.s4u.test").redirectErrorStream(true);
        server.environment().put("KRB5_CONFIG", realm.krb5Conf().toString());
        Process gssServer = server.start();
        try {
            awaitListening(port, gssServer);
            ProcessBuilder client = new ProcessBuilder("gss-client", "-port", Integer.toString(port), "127.0.0.1",
                    "postgres@db.s4u.test", "hello from alice").redirectErrorStream(true);
            client.environment().put("KRB5_CONFIG", realm.krb5Conf().toString());
            client.environment().put("KRB5CCNAME", "FILE:" + ccache);
            Process gssClient = client.start();
            String clientOut = new String(gssClient.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(gssClient.waitFor()).as(clientOut).isZero();
            assertThat(gssServer.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String serverOut = new String(gssServer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(serverOut).contains("\"alice@S4U.TEST\"").contains("hello from alice");
        } finally {
            gssServer.destroyForcibly();
        }
    }

    /**
     * Waits until something listens on {@code port}, read from the kernel's socket tables rather than by connecting:
     * the sample server answers one connection only.
     */
    private static void awaitListening(int port, Process server) throws Exception {
        String local = String.format(":%04X", port);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!listening(local)) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("gss-server does not listen on port " + port + (server.isAlive() ? ""
                        : ": " + new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
            }
            Thread.sleep(20);
        }
    }

    private static boolean listening(String localPort) throws java.io.IOException {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (Files.isReadable(p)) {
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(localPort) && f[3].equals("0A")) { // 0A: LISTEN
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    @Order(2)
    void krbCredWhenExchangedThenTheTargetAcceptsItAndItEndsBeforeTheSubjectToken() throws Exception {
        String jwt = aliceJwt();
        Instant subjectExp = SignedJWT.parse(jwt).getJWTClaimsSet().getExpirationTime().toInstant();

        Response r = inverse(jwt, KRB_CRED, S4uRealm.POSTGRES);

        r.then().statusCode(200).body("issued_token_type", equalTo(KRB_CRED)).body("token_type", equalTo("N_A"));
        long expiresIn = ((Number) r.path("expires_in")).longValue();
        assertThat(expiresIn).isPositive().isLessThanOrEqualTo(600);
        KrbCred cred = new KrbCred();
        cred.decode(Base64.getUrlDecoder().decode(r.path("access_token").toString()));
        EncKrbCredPart part = new EncKrbCredPart();
        part.decode(cred.getEncPart().getCipher());
        KrbCredInfo info = part.getTicketInfo().getElements().get(0);
        assertThat(info.getPname().getName()).isEqualTo("alice");
        assertThat(Instant.ofEpochMilli(info.getEndtime().getTime())).isBeforeOrEqualTo(subjectExp);
        // The target, with only its own keytab, accepts the ticket as alice's.
        Ticket ticket = cred.getTickets().getElements().get(0);
        ApReqVerifier target = new ApReqVerifier(new KeytabKeys(List.of(realm.keytab("postgres")), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        byte[] apReq = TicketForge.apReq(ticket, new EncryptionKey(info.getKey().getKeyType(), info.getKey().getKeyData()),
                S4uRealm.ALICE, Instant.now());
        assertThat(target.verify(apReq, VerificationSettings.of(Set.of(S4uRealm.POSTGRES), Set.of(S4uRealm.REALM)))
                .principal()).isEqualTo(S4uRealm.ALICE);
        // Audited like a JWT: client, user, target and end time, never the ticket.
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "issued").containsEntry("client_id", CLIENT)
                .containsEntry("requested_token_type", KRB_CRED);
        assertThat(row.get("reason").toString()).contains("Kerberos ticket for alice@S4U.TEST to postgres/db.s4u.test@S4U.TEST");
        assertThat(row.get("expires_at")).isNotNull();
        assertThat(AuditRows.everything(db)).doesNotContain(r.path("access_token").toString().substring(0, 40));
    }

    @Test
    @Order(3)
    void exchangeWhenIdpTokenWithPreferredUsernameThenTicketForThatUserInTheDefaultRealm() throws Exception {
        String jwt = idpToken(Date.from(Instant.now().plusSeconds(300)));

        Response r = inverse(jwt, CCACHE, S4uRealm.POSTGRES);

        r.then().statusCode(200);
        Path ccache = Files.createTempFile("kerbex-it", ".ccache");
        Files.write(ccache, Base64.getUrlDecoder().decode(r.path("access_token").toString()));
        assertThat(run("klist", "-c", ccache.toString())).contains("Default principal: alice@S4U.TEST");
    }

    @Test
    @Order(4)
    void exchangeWhenTargetNotInKerberosTargetsThenInvalidTarget() throws Exception {
        inverse(aliceJwt(), CCACHE, OTHER_TARGET).then().statusCode(400)
                .body("error", equalTo("invalid_target"))
                .body("error_description", equalTo("audience: not permitted for this client"));
    }

    @Test
    @Order(5)
    void exchangeWhenKdcRefusesDelegationThenExplained() throws Exception {
        Response r = inverse(aliceJwt(), KRB_CRED, S4uRealm.WEB);

        r.then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("subject_token: KDC refused constrained delegation to " + S4uRealm.WEB));
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "refused");
        assertThat(row.get("reason").toString()).contains("KDC_ERR_BADOPTION");
    }

    @Test
    @Order(6)
    void exchangeWhenSubjectTokenExpiredThenInvalidRequest() throws Exception {
        String expired = idpToken(Date.from(Instant.now().minusSeconds(5)));

        inverse(expired, CCACHE, S4uRealm.POSTGRES).then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("subject_token: JWT expired"));
    }

    @Test
    @Order(7)
    void exchangeWhenTwoAudiencesThenInvalidTarget() throws Exception {
        given().baseUri(kerbex.baseUrl()).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", aliceJwt()).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("requested_token_type", CCACHE)
                .formParam("audience", S4uRealm.POSTGRES).formParam("audience", S4uRealm.POSTGRES.replace("db.", "db2."))
                .post("/tenants/corp/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_target"));
    }

    @Test
    @Order(8)
    void exchangeWhenKdcDownThenTemporarilyUnavailable() throws Exception {
        String jwt = aliceJwt();
        realm.stopKdc();
        try {
            Response r = inverse(jwt, CCACHE, S4uRealm.POSTGRES);

            r.then().statusCode(503).body("error", equalTo("temporarily_unavailable"))
                    .body("error_description", equalTo("subject_token: the KDC cannot be reached, retry later"));
            assertThat(AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow())
                    .containsEntry("outcome", "error");
        } finally {
            realm.startKdc();
        }
    }

    /** alice logs in with her password (JDK GSS-API), her AP-REQ is exchanged on the forward path. */
    private static String aliceJwt() throws Exception {
        byte[] apReq = ApReqTool.token(S4uRealm.ALICE, "alice-password", S4uRealm.KERBEX, "1.2.840.113554.1.2.2");
        Response r = given().baseUri(kerbex.baseUrl()).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", Base64.getEncoder().encodeToString(apReq))
                .formParam("subject_token_type", "urn:kerbex:token-type:kerberos-ap-req")
                .formParam("audience", GATEWAY_AUDIENCE)
                .post("/tenants/corp/oauth2/token");
        r.then().statusCode(200);
        String jwt = r.path("access_token");
        assertThat(SignedJWT.parse(jwt).getJWTClaimsSet().getStringClaim("krb_principal")).isEqualTo(S4uRealm.ALICE);
        return jwt;
    }

    private static String idpToken(Date exp) {
        return TestIdp.sign(idp.key(), new JWTClaimsSet.Builder().issuer(idp.issuer()).subject(UUID.randomUUID().toString())
                .audience(GATEWAY_AUDIENCE).expirationTime(exp).issueTime(new Date())
                .claim("preferred_username", "alice").claim("scope", "db:connect").build());
    }

    private static Response inverse(String subjectToken, String requestedType, String target) {
        return given().baseUri(kerbex.baseUrl()).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", subjectToken).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("requested_token_type", requestedType).formParam("audience", target)
                .post("/tenants/corp/oauth2/token");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
