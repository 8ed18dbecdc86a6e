package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.S4uRealm;
import dev.kerbex.testing.TicketForge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** S4U2Self + S4U2Proxy against a real MIT KDC with the LDAP backend (SPEC §6). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S4uClientIT {
    static S4uRealm realm;
    static S4uClient client;
    static final Instant IN_AN_HOUR = Instant.now().plusSeconds(3600);

    @BeforeAll
    static void startRealm() throws Exception {
        realm = S4uRealm.shared();
        client = new S4uClient(S4uRealm.KERBEX, realm.keytab("kerbex"), realm.krb5Conf(), java.time.Duration.ofSeconds(3),
                java.time.Clock.systemUTC());
    }

    @AfterAll
    static void restartKdc() throws Exception {
        realm.startKdc();
    }

    @Test
    @Order(1)
    void obtainWhenTargetDelegatedThenTicketOfTheUserThatTheTargetAccepts() throws Exception {
        ServiceTicket t = client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR);

        assertThat(t.client()).isEqualTo(S4uRealm.ALICE);
        assertThat(t.server()).isEqualTo(S4uRealm.POSTGRES);
        assertThat(t.endTime()).isAfter(Instant.now());
        // The target, with nothing but its own keytab, accepts the ticket as alice's.
        ApReqVerifier target = new ApReqVerifier(new KeytabKeys(List.of(realm.keytab("postgres")), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        byte[] apReq = TicketForge.apReq(decode(t.ticket()),
                new EncryptionKey(EncryptionType.fromValue(t.sessionKeyType()), t.sessionKey()), S4uRealm.ALICE,
                Instant.now());
        KerberosIdentity id = target.verify(apReq, VerificationSettings.of(Set.of(S4uRealm.POSTGRES), Set.of(S4uRealm.REALM)));
        assertThat(id.principal()).isEqualTo(S4uRealm.ALICE);
    }

    @Test
    @Order(2)
    void ccacheWhenWrittenThenMitToolsReadItAndTheTargetKeytabDecryptsTheTicket() throws Exception {
        ServiceTicket t = client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR);
        Path ccache = Files.createTempFile("kerbex-s4u", ".ccache");
        Files.write(ccache, TicketEncodings.ccache(t));

        String klist = run("klist", "-c", ccache.toString());
        assertThat(klist).contains("Default principal: alice@S4U.TEST").contains("postgres/db.s4u.test@S4U.TEST");
        // kvno decrypts the cached ticket with the target's own keytab: it is the target's and it is sound.
        String kvno = run("kvno", "-c", ccache.toString(), "--cached-only", "-k", realm.keytab("postgres").toString(),
                S4uRealm.POSTGRES);
        assertThat(kvno).contains("keytab entry valid");
    }

    @Test
    @Order(3)
    void krbCredWhenEncodedThenHoldsTheTicketAndSessionKey() throws Exception {
        ServiceTicket t = client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR);
        KrbCred cred = new KrbCred();
        cred.decode(TicketEncodings.krbCred(t));

        assertThat(cred.getTickets().getElements()).hasSize(1);
        assertThat(cred.getTickets().getElements().get(0).encode()).isEqualTo(t.ticket());
        assertThat(cred.getEncPart().getEType()).isEqualTo(EncryptionType.NONE);
        EncKrbCredPart part = new EncKrbCredPart();
        part.decode(cred.getEncPart().getCipher());
        KrbCredInfo info = part.getTicketInfo().getElements().get(0);
        assertThat(info.getKey().getKeyData()).isEqualTo(t.sessionKey());
        assertThat(info.getPname().getName()).isEqualTo("alice");
        assertThat(info.getSname().getName()).isEqualTo("postgres/db.s4u.test");
    }

    @Test
    @Order(4)
    void obtainWhenTwiceThenEachTicketIsFresh() throws Exception {
        ServiceTicket first = client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR);
        ServiceTicket second = client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR);
        assertThat(second.sessionKey()).isNotEqualTo(first.sessionKey());
    }

    @Test
    @Order(4)
    void obtainWhenSameUserAgainThenOneProtocolTransitionAndAFreshTicketEachTime() throws Exception {
        S4uClient fresh = new S4uClient(S4uRealm.KERBEX, realm.keytab("kerbex"), realm.krb5Conf(),
                java.time.Duration.ofSeconds(3),
                java.time.Clock.systemUTC());
        Path kdcLog = realm.krb5Conf().resolveSibling("kdc.log");
        long selfBefore = count(kdcLog, "PROTOCOL-TRANSITION s4u-client=alice@S4U.TEST");
        long proxyBefore = count(kdcLog, "CONSTRAINED-DELEGATION s4u-client=alice@S4U.TEST");

        ServiceTicket first = fresh.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR);
        ServiceTicket second = fresh.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, Instant.now().plusSeconds(600));

        assertThat(second.sessionKey()).isNotEqualTo(first.sessionKey());
        assertThat(second.endTime()).isBeforeOrEqualTo(Instant.now().plusSeconds(600));
        // The KDC's own log: two S4U2Proxy exchanges, and the user's evidence (S4U2Self) obtained once.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (count(kdcLog, "CONSTRAINED-DELEGATION s4u-client=alice@S4U.TEST") < proxyBefore + 2
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count(kdcLog, "CONSTRAINED-DELEGATION s4u-client=alice@S4U.TEST")).isEqualTo(proxyBefore + 2);
        assertThat(count(kdcLog, "PROTOCOL-TRANSITION s4u-client=alice@S4U.TEST")).isEqualTo(selfBefore + 1);
    }

    @Test
    @Order(4)
    void obtainWhenTillSoonerThanTheKdcMaximumThenTheTicketEndsByThen() throws Exception {
        Instant till = Instant.now().plusSeconds(120);
        ServiceTicket t = client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, till);

        assertThat(t.endTime()).isBeforeOrEqualTo(till).isAfter(till.minusSeconds(5));
        assertThat(t.renewTill()).isNull();
        // The end time is the one sealed in the ticket, not just what the KDC told Kerbex: kvno reads it.
        Path ccache = Files.createTempFile("kerbex-s4u", ".ccache");
        Files.write(ccache, TicketEncodings.ccache(t));
        assertThat(run("klist", "-c", ccache.toString())).contains("postgres/db.s4u.test@S4U.TEST");
    }

    @Test
    @Order(5)
    void obtainWhenPrincipalLacksProtocolTransitionThenRefusedAndExplained() throws Exception {
        S4uClient noProto = new S4uClient(S4uRealm.NO_PROTOCOL_TRANSITION, realm.keytab("noproto"), realm.krb5Conf(),
                java.time.Duration.ofSeconds(3),
                java.time.Clock.systemUTC());
        assertThatThrownBy(() -> noProto.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.PROTOCOL_TRANSITION_REFUSED))
                .hasMessageContaining("may not use protocol transition");
    }

    @Test
    @Order(5)
    void obtainWhenTargetNotDelegatedThenDelegationRefused() {
        assertThatThrownBy(() -> client.obtain(S4uRealm.ALICE, S4uRealm.WEB, IN_AN_HOUR))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.DELEGATION_REFUSED))
                .hasMessageContaining("S4U2Proxy for alice@S4U.TEST to HTTP/web.s4u.test@S4U.TEST")
                .hasMessageContaining("KDC_ERR_BADOPTION");
    }

    @Test
    @Order(6)
    void obtainWhenUserUnknownThenUserUnknown() {
        assertThatThrownBy(() -> client.obtain("nobody@S4U.TEST", S4uRealm.POSTGRES, IN_AN_HOUR))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.USER_UNKNOWN));
    }

    @Test
    @Order(7)
    void obtainWhenKdcDownThenUnreachable() throws Exception {
        realm.stopKdc();
        assertThatThrownBy(() -> client.obtain(S4uRealm.ALICE, S4uRealm.POSTGRES, IN_AN_HOUR))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(S4uException.Kind.KDC_UNREACHABLE));
    }

    private static long count(Path log, String text) throws java.io.IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static Ticket decode(byte[] der) throws Exception {
        Ticket ticket = new Ticket();
        ticket.decode(der);
        return ticket;
    }
}
