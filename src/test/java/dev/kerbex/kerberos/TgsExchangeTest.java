package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsReq;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import dev.kerbex.testing.TicketForge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TGS exchanges against scripted KDCs on loopback: framing, bounded waits, KRB-ERRORs, what is sent. */
class TgsExchangeTest {
    static final String KERBEX = "HTTP/kerbex.example.test@EXAMPLE.TEST";
    static final String USER = "alice@EXAMPLE.TEST";
    static final String TARGET = "postgres/db.example.test@EXAMPLE.TEST";

    ServerSocket kdc;

    @AfterEach
    void close() throws IOException {
        if (kdc != null) {
            kdc.close();
        }
    }

    /**
     * The KDC accepts the connection and never answers (it holds it until the test ends), so only Kerbex's own timeout
     * can end the wait: the error names it. {@code @Timeout} only keeps a broken timeout from hanging the build.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void s4u2selfWhenKdcNeverAnswersThenUnreachableWithinTheTimeout() throws Exception {
        kdc = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        java.util.concurrent.CountDownLatch testOver = new java.util.concurrent.CountDownLatch(1);
        daemon(() -> {
            try (Socket s = kdc.accept()) {
                testOver.await();
            } catch (Exception e) {
                // closed by the test
            }
        });
        try {
            assertThatThrownBy(() -> exchange(Duration.ofMillis(300)).s4u2self(tgt(), USER, TARGET,
                    Instant.now().plusSeconds(600)))
                    .isInstanceOfSatisfying(S4uException.class, e -> {
                        assertThat(e.kind()).isEqualTo(S4uException.Kind.KDC_UNREACHABLE);
                        assertThat(e.getMessage()).contains("no KDC answered within 300 ms");
                    });
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void exchangeWhenRealmHasNoKdcThenUnreachable() {
        assertThatThrownBy(() -> new TgsExchange(List.of(), Duration.ofSeconds(1)).s4u2self(tgt(), USER, TARGET, Instant.now()))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.KDC_UNREACHABLE))
                .hasMessageContaining("krb5.conf lists no KDC");
    }

    @Test
    void s4u2proxyWhenKdcAnswersBadOptionThenDelegationRefusedWithTheKdcsText() throws Exception {
        AtomicReference<TgsReq> seen = new AtomicReference<>();
        serve(request -> {
            TgsReq req = new TgsReq();
            try {
                req.decode(request);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            seen.set(req);
            return error(KrbErrorCode.KDC_ERR_BADOPTION, "KDC can't fulfill requested option");
        });
        Instant till = Instant.now().plusSeconds(120);

        assertThatThrownBy(() -> exchange(Duration.ofSeconds(2)).s4u2proxy(tgt(), new Ticket(), USER, TARGET, till))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.DELEGATION_REFUSED))
                .hasMessageContaining("S4U2Proxy for " + USER + " to " + TARGET)
                .hasMessageContaining("error 13 KDC_ERR_BADOPTION (KDC can't fulfill requested option)");
        // What went to the KDC: the target, the bounded end time, the evidence ticket and the TGS AP-REQ.
        TgsReq req = seen.get();
        assertThat(req.getReqBody().getSname().getName()).isEqualTo("postgres/db.example.test");
        assertThat(req.getReqBody().getTill().getTime()).isEqualTo(till.toEpochMilli() / 1000 * 1000);
        assertThat(req.getReqBody().getAdditionalTickets().getElements()).hasSize(1);
        assertThat(req.getPaData().findEntry(PaDataType.TGS_REQ)).isNotNull();
        assertThat(req.getPaData().findEntry(PaDataType.PAC_OPTIONS)).isNotNull();
    }

    @Test
    void s4u2selfWhenUserUnknownThenUserUnknown() throws Exception {
        serve(request -> error(KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, null));

        assertThatThrownBy(() -> exchange(Duration.ofSeconds(2)).s4u2self(tgt(), USER, TARGET, Instant.now().plusSeconds(60)))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.USER_UNKNOWN));
    }

    @Test
    void exchangeWhenFirstKdcDownThenTheNextAnswers() throws Exception {
        serve(request -> error(KrbErrorCode.KRB_AP_ERR_SKEW, null));
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        TgsExchange tgs = new TgsExchange(List.of(InetSocketAddress.createUnresolved("127.0.0.1", dead),
                InetSocketAddress.createUnresolved("127.0.0.1", kdc.getLocalPort())), Duration.ofSeconds(2));

        assertThatThrownBy(() -> tgs.s4u2self(tgt(), USER, TARGET, Instant.now().plusSeconds(60)))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.CLOCK_SKEW));
    }

    @Test
    void exchangeWhenKdcAnswersGarbageThenOtherNot500() throws Exception {
        serve(request -> new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});

        assertThatThrownBy(() -> exchange(Duration.ofSeconds(2)).s4u2self(tgt(), USER, TARGET, Instant.now().plusSeconds(60)))
                .isInstanceOfSatisfying(S4uException.class, e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.OTHER));
    }

    @Test
    void exchangeWhenKdcAnswerNestsTooDeepThenOtherNotAStackOverflow() throws Exception {
        byte[] deep = new byte[0];
        for (int i = 0; i < 5_000; i++) {
            deep = TicketForge.tlv(0x30, deep);
        }
        byte[] answer = deep;
        serve(request -> answer);

        assertThatThrownBy(() -> exchange(Duration.ofSeconds(2)).s4u2self(tgt(), USER, TARGET, Instant.now().plusSeconds(60)))
                .isInstanceOfSatisfying(S4uException.class, e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.OTHER))
                .hasMessageContaining("could not be decoded");
    }

    @Test
    void exchangeWhenKdcReplyHasNoClientNameThenOtherNotANullPointer() throws Exception {
        TgsExchange.Tgt tgt = tgt();
        serve(request -> {
            try {
                TgsReq req = (TgsReq) org.apache.kerby.kerberos.kerb.KrbCodec.decodeMessage(java.nio.ByteBuffer.wrap(request));
                org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart part = new org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart();
                part.setKey(tgt.sessionKey());
                part.setLastReq(new org.apache.kerby.kerberos.kerb.type.base.LastReq());
                part.setNonce(req.getReqBody().getNonce());
                part.setFlags(new org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags());
                part.setAuthTime(new KerberosTime(System.currentTimeMillis() / 1000 * 1000));
                part.setEndTime(new KerberosTime(System.currentTimeMillis() / 1000 * 1000 + 60_000));
                part.setSrealm("EXAMPLE.TEST");
                part.setSname(new PrincipalName(KERBEX, NameType.NT_SRV_INST));
                org.apache.kerby.kerberos.kerb.type.kdc.TgsRep rep = new org.apache.kerby.kerberos.kerb.type.kdc.TgsRep();
                rep.setTicket(tgt.ticket());
                rep.setEncryptedEncPart(org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler.encrypt(part.encode(),
                        tgt.sessionKey(), org.apache.kerby.kerberos.kerb.type.base.KeyUsage.TGS_REP_ENCPART_SESSKEY));
                // no cname, no crealm
                return rep.encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThatThrownBy(() -> exchange(Duration.ofSeconds(2)).s4u2self(tgt, USER, TARGET, Instant.now().plusSeconds(60)))
                .isInstanceOfSatisfying(S4uException.class, e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.OTHER))
                .hasMessage("S4U2Self: the KDC's answer names no client or ticket");
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "scripted-kdc");
        t.setDaemon(true);
        t.start();
    }

    private TgsExchange exchange(Duration timeout) {
        return new TgsExchange(List.of(InetSocketAddress.createUnresolved("127.0.0.1", kdc.getLocalPort())), timeout);
    }

    /** One KDC on loopback answering one request with {@code answer(request)}. */
    private void serve(Function<byte[], byte[]> answer) throws IOException {
        kdc = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        daemon(() -> {
            try (Socket s = kdc.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] request = in.readNBytes(in.readInt());
                byte[] reply = answer.apply(request);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(reply.length);
                out.write(reply);
                out.flush();
            } catch (IOException e) {
                // closed by the test
            }
        });
    }

    private static byte[] error(KrbErrorCode code, String text) {
        KrbError error = new KrbError();
        error.setStime(new KerberosTime(System.currentTimeMillis() / 1000 * 1000));
        error.setSusec(0);
        error.setErrorCode(code);
        error.setRealm("EXAMPLE.TEST");
        error.setSname(new PrincipalName("krbtgt/EXAMPLE.TEST", NameType.NT_SRV_INST));
        if (text != null) {
            error.setEtext(text);
        }
        try {
            return error.encode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TgsExchange.Tgt tgt() {
        Ticket ticket = new Ticket();
        ticket.setRealm("EXAMPLE.TEST");
        ticket.setSname(new PrincipalName("krbtgt/EXAMPLE.TEST", NameType.NT_SRV_INST));
        EncryptedData sealed = new EncryptedData();
        sealed.setEType(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        sealed.setCipher(new byte[48]);
        ticket.setEncryptedEncPart(sealed);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new TgsExchange.Tgt(ticket, new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, key), KERBEX,
                Instant.now().plusSeconds(3600));
    }
}
