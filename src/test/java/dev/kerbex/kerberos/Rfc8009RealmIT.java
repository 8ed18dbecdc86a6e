package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.S4uRealm;
import dev.kerbex.testing.TicketForge;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both paths against a real MIT KDC (LDAP backend) of the realm SHA2.TEST, whose every key is of the RFC 8009
 * enctypes and whose KDC permits no other: tickets, session keys, PAC signatures and the TGS exchanges all use
 * aes256-cts-hmac-sha384-192, which Kerby cannot decrypt and Kerbex's own {@link Rfc8009} does.
 */
class Rfc8009RealmIT {
    static final String REALM = "SHA2.TEST";
    static final String KERBEX = "HTTP/kerbex.sha2.test@SHA2.TEST";
    static final String POSTGRES = "postgres/db.sha2.test@SHA2.TEST";
    static final String WEB = "HTTP/web.sha2.test@SHA2.TEST";
    static final String ALICE = "alice@SHA2.TEST";
    static final String AES256_SHA2 = "aes256-cts-hmac-sha384-192";

    static S4uRealm realm;

    @BeforeAll
    static void startRealm() throws Exception {
        realm = S4uRealm.rfc8009();
    }

    @AfterAll
    static void stopRealm() throws Exception {
        realm.close();
    }

    @Test
    void keytabsWhenExportedThenOnlyRfc8009Keys() throws Exception {
        for (String name : List.of("kerbex", "postgres", "web")) {
            List<KeytabKeys.Key> keys = KeytabKeys.parse(Files.readAllBytes(realm.keytab(name)));
            assertThat(keys).extracting(KeytabKeys.Key::enctype).as(name).containsExactlyInAnyOrder(20, 19);
        }
    }

    @Test
    void apReqWhenMadeByMitGssClientThenAcceptedWithItsPacAndEnctype() throws Exception {
        Path ccache = Files.createTempFile("kerbex-sha2", ".ccache");
        run(Map.of("KRB5CCNAME", "FILE:" + ccache), "alice-password\n", "kinit", ALICE);
        byte[] token = mitInitialContextToken(ccache, "HTTP@web.sha2.test");
        assertThat(run(Map.of(), null, "klist", "-e", "-c", ccache.toString()))
                .contains("Etype (skey, tkt): " + AES256_SHA2 + ", " + AES256_SHA2);

        ApReqVerifier verifier = new ApReqVerifier(new KeytabKeys(List.of(realm.keytab("web")), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        KerberosIdentity identity = verifier.verify(token, VerificationSettings.of(Set.of(WEB), Set.of(REALM)).withEnctypes(VerificationSettings.RFC8009_ENCTYPES));

        assertThat(identity.principal()).isEqualTo(ALICE);
        assertThat(identity.enctype()).isEqualTo(AES256_SHA2);
        // MIT (1.20+) puts a PAC into every ticket, signed with the service key: hmac-sha384-192, verified.
        assertThat(identity.pac()).isNotNull();
        assertThat(identity.pac().logonName()).isEqualTo("alice");
    }

    @Test
    void apReqWhenTenantAllowsOnlyAesSha1ThenWeakEnctype() throws Exception {
        Path ccache = Files.createTempFile("kerbex-sha2", ".ccache");
        run(Map.of("KRB5CCNAME", "FILE:" + ccache), "alice-password\n", "kinit", ALICE);
        byte[] token = mitInitialContextToken(ccache, "HTTP@web.sha2.test");
        ApReqVerifier verifier = new ApReqVerifier(new KeytabKeys(List.of(realm.keytab("web")), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        VerificationSettings sha1Only = VerificationSettings.of(Set.of(WEB), Set.of(REALM))
                .withEnctypes(Set.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96"));

        assertThatThrownBy(() -> verifier.verify(token, sha1Only))
                .isInstanceOfSatisfying(KerberosVerificationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WEAK_ENCTYPE);
                    assertThat(e.description()).isEqualTo("enctype " + AES256_SHA2 + " is not allowed");
                });
    }

    @Test
    void s4uWhenEveryKeyIsRfc8009ThenTheTargetAcceptsTheTicketAndMitToolsReadTheCcache() throws Exception {
        String previous = System.getProperty("java.security.krb5.conf");
        // The JDK's login reads the JVM-wide krb5.conf: this realm's for this test, restored after.
        System.setProperty("java.security.krb5.conf", realm.krb5Conf().toString());
        try {
            S4uClient client = new S4uClient(KERBEX, realm.keytab("kerbex"), realm.krb5Conf(), Duration.ofSeconds(3),
                    Clock.systemUTC());

            ServiceTicket t = client.obtain(ALICE, POSTGRES, Instant.now().plusSeconds(3600));

            assertThat(t.client()).isEqualTo(ALICE);
            assertThat(t.sessionKeyType()).isEqualTo(20);
            ApReqVerifier target = new ApReqVerifier(
                    new KeytabKeys(List.of(realm.keytab("postgres")), Clock.systemUTC()), new InMemoryReplayCache(),
                    Clock.systemUTC());
            Ticket ticket = new Ticket();
            ticket.decode(t.ticket());
            byte[] apReq = TicketForge.apReq(ticket, KerberosCrypto.key(t.sessionKeyType(), t.sessionKey()), ALICE,
                    Instant.now());
            KerberosIdentity id = target.verify(apReq, VerificationSettings.of(Set.of(POSTGRES), Set.of(REALM)).withEnctypes(VerificationSettings.RFC8009_ENCTYPES));
            assertThat(id.principal()).isEqualTo(ALICE);
            assertThat(id.enctype()).isEqualTo(AES256_SHA2);

            Path ccache = Files.createTempFile("kerbex-sha2-s4u", ".ccache");
            Files.write(ccache, TicketEncodings.ccache(t));
            assertThat(run(Map.of(), null, "klist", "-e", "-c", ccache.toString()))
                    .contains("Default principal: " + ALICE).contains(POSTGRES)
                    .contains("Etype (skey, tkt): " + AES256_SHA2 + ", " + AES256_SHA2);
            assertThat(run(Map.of(), null, "kvno", "-c", ccache.toString(), "--cached-only", "-k",
                    realm.keytab("postgres").toString(), POSTGRES)).contains("keytab entry valid");

            KrbCred cred = new KrbCred();
            cred.decode(TicketEncodings.krbCred(t));
            EncKrbCredPart part = new EncKrbCredPart();
            part.decode(cred.getEncPart().getCipher());
            assertThat(KerberosCrypto.keyType(part.getTicketInfo().getElements().get(0).getKey())).isEqualTo(20);

            assertThatThrownBy(() -> client.obtain(ALICE, WEB, Instant.now().plusSeconds(3600)))
                    .isInstanceOfSatisfying(S4uException.class,
                            e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.DELEGATION_REFUSED));
        } finally {
            if (previous == null) {
                System.clearProperty("java.security.krb5.conf");
            } else {
                System.setProperty("java.security.krb5.conf", previous);
            }
        }
    }

    /**
     * The GSS-API initial context token that MIT's {@code gss-client} sends for {@code service} with the tickets of
     * {@code ccache}: read off the wire by a listener standing in for the server (each token: a flags byte, a 32-bit
     * length, the token; the first, empty one announces the context).
     */
    private static byte[] mitInitialContextToken(Path ccache, String service) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(30_000);
            ProcessBuilder builder = new ProcessBuilder("gss-client", "-port", Integer.toString(server.getLocalPort()),
                    "127.0.0.1", service, "hello").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("KRB5_CONFIG", realm.krb5Conf().toString());
            builder.environment().put("KRB5CCNAME", "FILE:" + ccache);
            Process client = builder.start();
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                while (true) {
                    in.readUnsignedByte();
                    int length = in.readInt();
                    assertThat(length).isBetween(0, ApReqVerifier.MAX_TOKEN_BYTES);
                    byte[] token = in.readNBytes(length);
                    if (length > 0) {
                        return token;
                    }
                }
            } finally {
                client.destroyForcibly();
                client.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String run(Map<String, String> env, String stdin, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KRB5_CONFIG", realm.krb5Conf().toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
