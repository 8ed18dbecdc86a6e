package dev.kerbex.kerberos;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.PacBuilder;
import dev.kerbex.testing.SambaAd;
import dev.kerbex.testing.TestDatabase;
import dev.kerbex.testing.TicketForge;
import io.restassured.response.Response;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationDataEntry;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationType;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SPEC §5a end to end, as issue 12 is checked: the packaged service against a Samba 4 AD DC provisioned from
 * scratch. Tickets come from the DC through the JDK's GSS-API (ApReqTool in a JVM of its own, so this JVM's Kerberos
 * configuration is left to the MIT tests); their PACs decide the groups, the scope and the {@code groups} claim. A PAC
 * changed after the KDC signed it is refused.
 */
class ActiveDirectoryIT {
    static final String TENANT = "ad";
    static final String CLIENT = "ledger-gw";
    static final String SECRET = "ledger-gw-secret-0123";
    static final String LEDGER = "https://ledger.ad.kerbex.test";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    static final String KRB_CRED = "urn:kerbex:token-type:kerberos-krb-cred";
    static final String CCACHE = "urn:kerbex:token-type:kerberos-ccache";

    static SambaAd ad;
    static KerbexProcess kerbex;
    static PGSimpleDataSource db;

    @BeforeAll
    static void start() throws Exception {
        ad = SambaAd.start();
        EmbeddedDatabase database = TestDatabase.get();
        db = new PGSimpleDataSource();
        db.setURL(database.jdbcUrl());
        db.setUser(database.username());
        db.setPassword(database.password());
        Path bootstrap = Files.createTempFile("kerbex-ad", ".json");
        Files.writeString(bootstrap, """
                {"tenants": [{
                  "id": "ad",
                  "realms": ["AD.KERBEX.TEST"],
                  "services": ["%1$s"],
                  "group_names": {"%2$s": "ledger-readers", "%3$s": "ledger-writers"},
                  "s4u": {"principal": "%1$s", "keytab": "%5$s", "default_realm": "AD.KERBEX.TEST"},
                  "clients": [{"client_id": "ledger-gw", "secret": "ledger-gw-secret-0123", "audiences": ["%4$s"]}],
                  "policies": [
                    {"name": "ledger-readers", "effect": "allow", "priority": 100,
                     "match": {"clients": ["ledger-gw"], "audiences": ["%4$s"], "groups": ["ledger-readers"]},
                     "grant": {"scopes": ["ledger:read"], "default_scopes": ["ledger:read"],
                               "claims": {"groups": "${groups}", "upn": "${upn}"}}},
                    {"name": "ledger-writers", "effect": "allow", "priority": 200,
                     "match": {"clients": ["ledger-gw"], "audiences": ["%4$s"], "groups": ["%3$s"]},
                     "grant": {"scopes": ["ledger:read", "ledger:write"], "default_scopes": ["ledger:write"],
                               "claims": {"groups": "${groups}"}}},
                    {"name": "ad-tickets", "effect": "allow", "priority": 100,
                     "match": {"clients": ["ledger-gw"], "subject_token_types": ["%6$s"],
                               "audiences": ["postgres/*@AD.KERBEX.TEST", "HTTP/*@AD.KERBEX.TEST"],
                               "requested_token_types": ["%7$s", "%8$s"]},
                     "grant": {"max_lifetime": "PT30M", "kerberos_targets": ["%9$s", "%10$s"]}}
                  ]}]}
                """.formatted(SambaAd.KERBEX, ad.sid("LEDGER_READERS_SID"), ad.sid("LEDGER_WRITERS_SID"), LEDGER,
                ad.keytab("kerbex"), ACCESS_TOKEN, KRB_CRED, CCACHE, SambaAd.POSTGRES, SambaAd.WEB),
                StandardCharsets.UTF_8);
        kerbex = KerbexProcess.start("kerbex-ad-it", Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password(),
                "kerbex.bootstrap-file", bootstrap.toString(),
                "kerbex.kerberos.keytabs", ad.keytab("kerbex").toString(),
                "kerbex.kerberos.krb5-conf", ad.krb5Conf().toString(),
                "kerbex.key-encryption-key", TestDatabase.KEY_ENCRYPTION_KEY,
                "kerbex.demo.enabled", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kerbex != null) {
            kerbex.close();
        }
        if (ad != null) {
            ad.close();
        }
    }

    @Test
    void exchangeWhenAliceOfLedgerReadersThenReadScopeAndHerAdGroupsInTheToken() throws Exception {
        Response r = exchange(token(SambaAd.ALICE, SambaAd.ALICE_PASSWORD));

        r.then().statusCode(200).body("scope", equalTo("ledger:read"));
        JWTClaimsSet claims = SignedJWT.parse(r.path("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("groups")).containsExactly("ledger-readers");
        assertThat(claims.getStringClaim("upn")).isEqualTo("alice@ad.kerbex.test");
        assertThat(claims.getStringClaim("krb_principal")).isEqualTo(SambaAd.ALICE);
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "issued").containsEntry("subject", SambaAd.ALICE);
        assertThat(String.valueOf(row.get("reason"))).contains("groups ledger-readers");
    }

    @Test
    void exchangeWhenBobOfLedgerWritersThenTheWritersPolicyBySidDecides() throws Exception {
        Response r = exchange(token(SambaAd.BOB, SambaAd.BOB_PASSWORD));

        r.then().statusCode(200).body("scope", equalTo("ledger:write"));
        assertThat(SignedJWT.parse(r.path("access_token")).getJWTClaimsSet().getStringListClaim("groups"))
                .containsExactly("ledger-writers");
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(String.valueOf(row.get("reason"))).contains("groups " + ad.sid("LEDGER_WRITERS_SID"));
    }

    @Test
    void exchangeWhenThePacIsChangedAfterTheKdcSignedItThenPacSignatureInvalid() throws Exception {
        byte[] apReq = TokenFraming.apReq(token(SambaAd.ALICE, SambaAd.ALICE_PASSWORD));
        byte[] tampered = withPacByteFlipped(apReq);

        Response r = exchange(tampered);

        r.then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("subject_token: PAC signature invalid"));
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "refused").containsEntry("error", "invalid_request");
    }

    /**
     * The inverse path through the DC's KDC (Heimdal): alice's JWT from her AD ticket becomes, by S4U2Self and S4U2Proxy,
     * a ticket for postgres that MIT's klist reads, kvno decrypts with postgres's own keytab, and postgres's keytab
     * accepts with alice's PAC — which the KDC marks as a service-asserted identity (S-1-18-2, MS-PAC §2.2.1.1).
     */
    @Test
    void inverseWhenTargetDelegatedThenCcacheOfAliceThatTheTargetAccepts() throws Exception {
        Response r = inverse(aliceJwt(), CCACHE, SambaAd.POSTGRES);

        r.then().statusCode(200).body("issued_token_type", equalTo(CCACHE)).body("token_type", equalTo("N_A"));
        byte[] ccache = Base64.getUrlDecoder().decode(r.path("access_token").toString());
        Path file = Files.createTempFile("kerbex-ad", ".ccache");
        Files.write(file, ccache);
        assertThat(run("klist", "-c", file.toString())).contains("Default principal: " + SambaAd.ALICE)
                .contains(SambaAd.POSTGRES);
        assertThat(run("kvno", "-c", file.toString(), "--cached-only", "-k", ad.keytab("postgres").toString(),
                SambaAd.POSTGRES)).contains("keytab entry valid");
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "issued");
        assertThat(String.valueOf(row.get("reason"))).contains("Kerberos ticket for " + SambaAd.ALICE + " to " + SambaAd.POSTGRES);
    }

    @Test
    void inverseWhenKrbCredThenPostgresKeytabAcceptsAliceWithHerAdGroups() throws Exception {
        Response r = inverse(aliceJwt(), KRB_CRED, SambaAd.POSTGRES);

        r.then().statusCode(200).body("issued_token_type", equalTo(KRB_CRED));
        KrbCred cred = new KrbCred();
        cred.decode(Base64.getUrlDecoder().decode(r.path("access_token").toString()));
        EncKrbCredPart part = new EncKrbCredPart();
        part.decode(cred.getEncPart().getCipher());
        KrbCredInfo info = part.getTicketInfo().getElements().get(0);
        ApReqVerifier postgres = new ApReqVerifier(new KeytabKeys(List.of(ad.keytab("postgres")), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        byte[] apReq = TicketForge.apReq(cred.getTickets().getElements().get(0),
                new EncryptionKey(info.getKey().getKeyType(), info.getKey().getKeyData()), SambaAd.ALICE, Instant.now());

        KerberosIdentity alice = postgres.verify(apReq,
                VerificationSettings.of(Set.of(SambaAd.POSTGRES), Set.of(SambaAd.REALM)));

        assertThat(alice.principal()).isEqualTo(SambaAd.ALICE);
        assertThat(alice.pac().userSid()).isEqualTo(ad.sid("ALICE_SID"));
        assertThat(alice.pac().groupSids()).contains(ad.sid("LEDGER_READERS_SID"), "S-1-18-2")
                .doesNotContain(ad.sid("LEDGER_WRITERS_SID"));
    }

    @Test
    void inverseWhenTargetNotDelegatedThenKdcRefusedConstrainedDelegation() throws Exception {
        Response r = inverse(aliceJwt(), KRB_CRED, SambaAd.WEB);

        r.then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("subject_token: KDC refused constrained delegation to " + SambaAd.WEB));
        Map<String, Object> row = AuditRows.byRequestId(db, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", "refused");
        assertThat(String.valueOf(row.get("reason"))).contains("KDC_ERR_BADOPTION");
    }

    /**
     * KDC discovery as AD clients do it, against the DC's own DNS (127.0.0.2:53): Kerbex's S4U client with a krb5.conf
     * naming no KDC for the realm finds it by its SRV records and obtains alice's ticket for postgres through it.
     */
    @Test
    void s4uWhenKrb5ConfNamesNoKdcThenTheDomainsSrvRecordsLocateIt() throws Exception {
        Path dnsOnly = Files.createTempFile("kerbex-ad-dns", ".conf");
        Files.writeString(dnsOnly, "[libdefaults]\n    default_realm = AD.KERBEX.TEST\n[realms]\n    AD.KERBEX.TEST = {\n    }\n");
        Krb5Realms conf = Krb5Realms.read(dnsOnly);

        assertThat(new KdcLocator(conf, Optional.of(SambaAd.DNS), Duration.ofSeconds(3)).locate(SambaAd.REALM))
                .containsExactly(new Krb5Realms.Kdc("127.0.0.2", 88, Krb5Realms.Transport.UDP),
                        new Krb5Realms.Kdc("127.0.0.2", 88, Krb5Realms.Transport.TCP));
        ServiceTicket ticket = withJdkLoginAgainstTheDc(() -> new S4uClient(SambaAd.KERBEX, ad.keytab("kerbex"), dnsOnly,
                Optional.of(SambaAd.DNS), Duration.ofSeconds(3), Clock.systemUTC())
                .obtain(SambaAd.ALICE, SambaAd.POSTGRES, Instant.now().plusSeconds(600)));

        assertThat(ticket.client()).isEqualTo(SambaAd.ALICE);
        assertThat(ticket.server()).isEqualTo(SambaAd.POSTGRES);
    }

    /** The first KDC listed accepts connections and never answers: after the timeout, the DC answers. */
    @Test
    void s4uWhenTheFirstKdcDoesNotAnswerThenTheNextOneIsAsked() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path twoKdcs = Files.createTempFile("kerbex-ad-failover", ".conf");
            Files.writeString(twoKdcs, "[libdefaults]\n    default_realm = AD.KERBEX.TEST\n[realms]\n    AD.KERBEX.TEST = {\n"
                    + "        kdc = tcp/127.0.0.1:" + silent.getLocalPort() + "\n        kdc = 127.0.0.2\n    }\n");

            ServiceTicket ticket = withJdkLoginAgainstTheDc(() -> new S4uClient(SambaAd.KERBEX, ad.keytab("kerbex"),
                    twoKdcs, Duration.ofSeconds(2), Clock.systemUTC())
                    .obtain(SambaAd.ALICE, SambaAd.POSTGRES, Instant.now().plusSeconds(600)));

            assertThat(ticket.client()).isEqualTo(SambaAd.ALICE);
        }
    }

    /**
     * The JDK's login (AS exchange) reads {@code java.security.krb5.conf}: pointed at the DC's for the call, and back
     * to what it was, so that the MIT tests of this JVM keep theirs.
     */
    private static <T> T withJdkLoginAgainstTheDc(java.util.concurrent.Callable<T> call) throws Exception {
        String before = System.getProperty("java.security.krb5.conf");
        System.setProperty("java.security.krb5.conf", ad.krb5Conf().toString());
        try {
            return call.call();
        } finally {
            if (before == null) {
                System.clearProperty("java.security.krb5.conf");
            } else {
                System.setProperty("java.security.krb5.conf", before);
            }
        }
    }

    /**
     * What an attacker holding the service key (but not the KDC's) could do: open the ticket, change one byte of the
     * PAC's LOGON_INFO (the user RID), seal the ticket again and write a fresh authenticator.
     */
    private static byte[] withPacByteFlipped(byte[] rawApReq) throws Exception {
        ApReq apReq = new ApReq();
        apReq.decode(rawApReq);
        Ticket ticket = apReq.getTicket();
        KeytabKeys.Key key = new KeytabKeys(List.of(ad.keytab("kerbex")), Clock.systemUTC())
                .find(SambaAd.KERBEX, ticket.getEncryptedEncPart().getEType().getValue(),
                        ticket.getEncryptedEncPart().getKvno()).orElseThrow();
        EncryptionKey serviceKey = new EncryptionKey(key.enctype(), key.keyData(), key.kvno());
        EncTicketPart part = new EncTicketPart();
        part.decode(EncryptionHandler.decrypt(ticket.getEncryptedEncPart(), serviceKey, KeyUsage.KDC_REP_TICKET));
        AuthorizationData outer = new AuthorizationData();
        for (AuthorizationDataEntry entry : part.getAuthorizationData().getElements()) {
            if (entry.getAuthzType() == AuthorizationType.AD_IF_RELEVANT) {
                AuthorizationData inner = new AuthorizationData();
                inner.decode(entry.getAuthzData());
                AuthorizationData changed = new AuthorizationData();
                for (AuthorizationDataEntry e : inner.getElements()) {
                    byte[] data = e.getAuthzData();
                    if (e.getAuthzType() == AuthorizationType.AD_WIN2K_PAC) {
                        data = data.clone();
                        // LOGON_INFO's UserId: NDR headers, referent, six FILETIMEs, six strings, two counts.
                        data[PacBuilder.offsetOf(data, 1) + 16 + 4 + 48 + 48 + 4] ^= 0x01;
                    }
                    changed.add(new AuthorizationDataEntry(e.getAuthzType(), data));
                }
                outer.add(new AuthorizationDataEntry(AuthorizationType.AD_IF_RELEVANT, changed.encode()));
            } else {
                outer.add(entry);
            }
        }
        part.setAuthorizationData(outer);
        EncryptedData sealed = EncryptionHandler.encrypt(part.encode(), serviceKey, KeyUsage.KDC_REP_TICKET);
        sealed.setKvno(ticket.getEncryptedEncPart().getKvno());
        ticket.setEncryptedEncPart(sealed);
        return TicketForge.apReq(ticket, part.getKey(), SambaAd.ALICE, Instant.now());
    }

    /** A GSS-API krb5 token from the DC for Kerbex's service, made by the JDK in a JVM of its own. */
    private static byte[] token(String principal, String password) throws Exception {
        String classpath = "target/quarkus-app/lib/main/*" + File.pathSeparator + "target/quarkus-app/app/*";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", classpath, ApReqTool.class.getName(),
                "--krb5-conf", ad.krb5Conf().toString(), "--principal", principal, "--password", password,
                "--service", SambaAd.KERBEX, "--mech", "krb5")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("ApReqTool for " + principal).isZero();
        return Base64.getDecoder().decode(out);
    }

    /** alice's AD ticket exchanged on the forward path: a JWT for the gateway carrying her {@code krb_principal}. */
    private static String aliceJwt() throws Exception {
        Response r = exchange(token(SambaAd.ALICE, SambaAd.ALICE_PASSWORD));
        r.then().statusCode(200);
        return r.path("access_token");
    }

    private static Response inverse(String subjectToken, String requestedType, String target) {
        return given().baseUri(kerbex.baseUrl()).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", subjectToken).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("requested_token_type", requestedType).formParam("audience", target)
                .post("/tenants/" + TENANT + "/oauth2/token");
    }

    private static String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("KRB5_CONFIG", ad.krb5Conf().toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static Response exchange(byte[] token) {
        return given().baseUri(kerbex.baseUrl()).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", Base64.getEncoder().encodeToString(token))
                .formParam("subject_token_type", "urn:kerbex:token-type:kerberos-ap-req")
                .formParam("audience", LEDGER)
                .post("/tenants/" + TENANT + "/oauth2/token");
    }
}
