package dev.kerbex.kerberos;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.PacBuilder;
import dev.kerbex.testing.SambaAd;
import dev.kerbex.testing.TestDatabase;
import dev.kerbex.testing.TicketForge;
import io.restassured.response.Response;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
                  "clients": [{"client_id": "ledger-gw", "secret": "ledger-gw-secret-0123"}],
                  "policies": [
                    {"name": "ledger-readers", "effect": "allow", "priority": 100,
                     "match": {"clients": ["ledger-gw"], "audiences": ["%4$s"], "groups": ["ledger-readers"]},
                     "grant": {"scopes": ["ledger:read"], "default_scopes": ["ledger:read"],
                               "claims": {"groups": "${groups}", "upn": "${upn}"}}},
                    {"name": "ledger-writers", "effect": "allow", "priority": 200,
                     "match": {"clients": ["ledger-gw"], "audiences": ["%4$s"], "groups": ["%3$s"]},
                     "grant": {"scopes": ["ledger:read", "ledger:write"], "default_scopes": ["ledger:write"],
                               "claims": {"groups": "${groups}"}}}
                  ]}]}
                """.formatted(SambaAd.KERBEX, ad.sid("LEDGER_READERS_SID"), ad.sid("LEDGER_WRITERS_SID"), LEDGER),
                StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        kerbex = KerbexProcess.start("kerbex-ad-it", Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password(),
                "kerbex.bootstrap-file", bootstrap.toString(),
                "kerbex.kerberos.keytabs", ad.keytab("kerbex").toString(),
                "kerbex.key-encryption-key", Base64.getEncoder().encodeToString(kek),
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

    private static Response exchange(byte[] token) {
        return given().baseUri(kerbex.baseUrl()).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", Base64.getEncoder().encodeToString(token))
                .formParam("subject_token_type", "urn:kerbex:token-type:kerberos-ap-req")
                .formParam("audience", LEDGER)
                .post("/tenants/" + TENANT + "/oauth2/token");
    }
}
