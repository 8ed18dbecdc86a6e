package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens issued by a real KDC (Kerby) and obtained by real clients (the JDK's GSS-API, Kerby's client). */
class ApReqVerifierKdcTest {

    private static TestKdc kdc;
    private static ApReqVerifier verifier;
    private static final VerificationSettings SETTINGS =
            VerificationSettings.of(Set.of(TestKdc.SERVICE), Set.of(TestKdc.REALM));

    @BeforeAll
    static void startKdc() {
        kdc = GssTokens.configureJdk();
        verifier = new ApReqVerifier(new KeytabKeys(List.of(kdc.serviceKeytab()), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
    }

    @Test
    void verifyWhenJdkKrb5TokenThenAlice() throws Exception {
        byte[] token = GssTokens.krb5(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.SERVICE);

        KerberosIdentity identity = verifier.verify(token, SETTINGS);

        assertThat(token[0]).isEqualTo((byte) 0x60);
        assertThat(identity.principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(identity.realm()).isEqualTo("EXAMPLE.TEST");
        assertThat(identity.servicePrincipal()).isEqualTo(TestKdc.SERVICE);
        assertThat(identity.enctype()).isEqualTo("aes256-cts-hmac-sha1-96");
        assertThat(identity.ticketEnd()).isAfter(Instant.now());
        assertThat(identity.authTime()).isBeforeOrEqualTo(Instant.now().plusSeconds(1));
    }

    @Test
    void verifyWhenJdkSpnegoTokenThenAlice() throws Exception {
        byte[] token = GssTokens.spnego(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.SERVICE);

        KerberosIdentity identity = verifier.verify(token, SETTINGS);

        assertThat(identity.principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenJdkTokenOfServicePrincipalThenTwoComponentName() throws Exception {
        byte[] token = GssTokens.krb5(TestKdc.BILLING, TestKdc.BILLING_PASSWORD, TestKdc.SERVICE);

        assertThat(verifier.verify(token, SETTINGS).principal()).isEqualTo("svc-billing/app.example.test@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenJdkTokenForOtherServiceThenWrongService() {
        byte[] token = GssTokens.krb5(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.OTHER_SERVICE);

        assertThatThrownBy(() -> verifier.verify(token, SETTINGS))
                .isInstanceOfSatisfying(KerberosVerificationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_SERVICE);
                    assertThat(e.description()).isEqualTo(
                            "ticket is for HTTP/other.example.test@EXAMPLE.TEST, not a service of this tenant");
                });
    }

    @Test
    void verifyWhenKerbyClientTicketThenAlice() throws Exception {
        KrbClient client = kdc.krbClient();
        TgtTicket tgt = client.requestTgt(TestKdc.ALICE, TestKdc.ALICE_PASSWORD);
        SgtTicket sgt = client.requestSgt(tgt, TestKdc.SERVICE);
        byte[] token = TicketForge.apReq(sgt.getTicket(), sgt.getSessionKey(), TestKdc.ALICE, Instant.now());

        KerberosIdentity identity = verifier.verify(token, SETTINGS);

        assertThat(identity.principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(verifier.verify(TicketForge.gssWrap(
                TicketForge.apReq(sgt.getTicket(), sgt.getSessionKey(), TestKdc.ALICE, Instant.now())), SETTINGS)
                .principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenServiceRekeyedThenTicketsOfBothKvnosVerify(@TempDir Path dir) throws Exception {
        String service = "HTTP/rotate.example.test@EXAMPLE.TEST";
        kdc.addPrincipal(service, "rotate-1");
        int oldKvno = kdc.kvno(service);
        byte[] before = GssTokens.krb5(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, service);
        int newKvno = kdc.rekey(service, "rotate-2");
        byte[] after = GssTokens.krb5(TestKdc.BILLING, TestKdc.BILLING_PASSWORD, service);
        Path keytab = new TestKeytab()
                .add(service, "rotate-1", oldKvno, "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96")
                .add(service, "rotate-2", newKvno, "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96")
                .write(dir.resolve("rotate.keytab"));
        ApReqVerifier rotating = new ApReqVerifier(new KeytabKeys(List.of(keytab), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        VerificationSettings settings = VerificationSettings.of(Set.of(service), Set.of(TestKdc.REALM));

        assertThat(newKvno).isEqualTo(oldKvno + 1);
        assertThat(rotating.verify(before, settings).principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(rotating.verify(after, settings).principal()).isEqualTo("svc-billing/app.example.test@EXAMPLE.TEST");
    }
}
