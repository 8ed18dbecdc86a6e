package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.testing.TinyDns;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * KDC discovery and transport as Active Directory clients and MIT's library do them: DNS SRV records when krb5.conf
 * names no KDC (a DNS server of the test's own, asked through the JDK's JNDI provider), UDP first for small requests
 * with TCP after {@code KRB_ERR_RESPONSE_TOO_BIG}, TCP first for large ones, and the next KDC when one does not answer.
 */
class KdcDiscoveryTest {
    static final String REALM = "EXAMPLE.TEST";
    static final Duration TIMEOUT = Duration.ofMillis(400);
    static final byte[] SMALL = new byte[100];

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void locateWhenKrb5ConfNamesNoKdcThenSrvRecordsUdpFirstEachByPriorityResolvedByTheSameServer() throws Exception {
        TinyDns dns = dns().srv("_kerberos._udp." + REALM, 10, 0, 88, "dc2.example.test.")
                .srv("_kerberos._udp." + REALM, 0, 0, 88, "dc1.example.test.")
                .srv("_kerberos._tcp." + REALM, 0, 0, 1088, "dc1.example.test.")
                .a("dc1.example.test", "127.0.0.11").a("dc2.example.test", "127.0.0.12");

        List<Krb5Realms.Kdc> kdcs = new KdcLocator(conf(""), Optional.of(dns.address()), TIMEOUT).locate(REALM);

        assertThat(kdcs).containsExactly(new Krb5Realms.Kdc("127.0.0.11", 88, Krb5Realms.Transport.UDP),
                new Krb5Realms.Kdc("127.0.0.12", 88, Krb5Realms.Transport.UDP),
                new Krb5Realms.Kdc("127.0.0.11", 1088, Krb5Realms.Transport.TCP));
        assertThat(dns.questions()).contains("_kerberos._udp.example.test/SRV", "_kerberos._tcp.example.test/SRV",
                "dc1.example.test/A");
    }

    @Test
    void locateWhenKrb5ConfListsKdcsThenThoseAndNoDnsQuestion() throws Exception {
        TinyDns dns = dns().srv("_kerberos._tcp." + REALM, 0, 0, 88, "dc1.example.test.");

        List<Krb5Realms.Kdc> kdcs = new KdcLocator(conf("kdc = tcp/kdc.example.test:750\n        kdc = 127.0.0.1"),
                Optional.of(dns.address()), TIMEOUT).locate(REALM);

        assertThat(kdcs).containsExactly(new Krb5Realms.Kdc("kdc.example.test", 750, Krb5Realms.Transport.TCP),
                new Krb5Realms.Kdc("127.0.0.1", 88, Krb5Realms.Transport.ANY));
        assertThat(dns.questions()).isEmpty();
    }

    @Test
    void sendWhenDnsLookupKdcFalseAndNoKdcLineThenUnreachableWithoutAskingDns() throws Exception {
        TinyDns dns = dns().srv("_kerberos._tcp." + REALM, 0, 0, 88, "dc1.example.test.");
        Krb5Realms conf = Krb5Realms.parse("[libdefaults]\n dns_lookup_kdc = false\n[realms]\n " + REALM + " = {\n }\n");

        assertThatThrownBy(() -> transport(conf, dns).send("S4U2Self", SMALL))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.KDC_UNREACHABLE))
                .hasMessage("S4U2Self: krb5.conf lists no KDC for the realm");
        assertThat(dns.questions()).isEmpty();
    }

    @Test
    void sendWhenDnsHasNoSrvRecordsThenUnreachableNamingTheRecords() throws Exception {
        TinyDns dns = dns();

        assertThatThrownBy(() -> transport(conf(""), dns).send("S4U2Self", SMALL))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.KDC_UNREACHABLE))
                .hasMessage("S4U2Self: DNS names no KDC for EXAMPLE.TEST (no SRV records _kerberos._udp.EXAMPLE.TEST"
                        + " or _kerberos._tcp.EXAMPLE.TEST)");
    }

    /** The first KDC in DNS accepts the connection and never answers; the second, one priority lower, does. */
    @Test
    void sendWhenFirstKdcFromDnsDoesNotAnswerInTimeThenTheNextAnswers() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        open.add(silent);
        FakeKdc live = kdc(KrbErrorCode.KRB_AP_ERR_SKEW, KrbErrorCode.KRB_AP_ERR_SKEW);
        TinyDns dns = dns().srv("_kerberos._tcp." + REALM, 0, 0, silent.getLocalPort(), "dc1.example.test.")
                .srv("_kerberos._tcp." + REALM, 1, 0, live.port, "dc2.example.test.")
                .a("dc1.example.test", "127.0.0.1").a("dc2.example.test", "127.0.0.1");

        byte[] reply = transport(conf(""), dns).send("S4U2Self", SMALL);

        assertThat(KdcTransport.errorCode(reply)).isEqualTo(KrbErrorCode.KRB_AP_ERR_SKEW.getValue());
        assertThat(live.tcp.get()).isEqualTo(1);
    }

    @Test
    void sendWhenNoKdcAnswersThenUnreachableListingEach() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        open.add(silent);
        Krb5Realms conf = conf("kdc = tcp/127.0.0.1:" + silent.getLocalPort());

        assertThatThrownBy(() -> transport(conf, dns()).send("S4U2Proxy", SMALL))
                .isInstanceOfSatisfying(S4uException.class,
                        e -> assertThat(e.kind()).isEqualTo(S4uException.Kind.KDC_UNREACHABLE))
                .hasMessageStartingWith("S4U2Proxy: no KDC answered within 400 ms (tcp/127.0.0.1:" + silent.getLocalPort()
                        + " SocketTimeoutException");
    }

    @Test
    void sendWhenUdpAnswersResponseTooBigThenTheSameRequestOverTcp() throws Exception {
        FakeKdc kdc = kdc(KrbErrorCode.RESPONSE_TOO_BIG, KrbErrorCode.KDC_ERR_BADOPTION);

        byte[] reply = transport(conf("kdc = 127.0.0.1:" + kdc.port), dns()).send("S4U2Proxy", SMALL);

        assertThat(KdcTransport.errorCode(reply)).isEqualTo(KrbErrorCode.KDC_ERR_BADOPTION.getValue());
        assertThat(kdc.udp.get()).isEqualTo(1);
        assertThat(kdc.tcp.get()).isEqualTo(1);
    }

    @Test
    void sendWhenSmallRequestThenUdpAnswersAndTcpIsNotUsed() throws Exception {
        FakeKdc kdc = kdc(KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, KrbErrorCode.KDC_ERR_BADOPTION);

        byte[] reply = transport(conf("kdc = 127.0.0.1:" + kdc.port), dns()).send("S4U2Self", SMALL);

        assertThat(KdcTransport.errorCode(reply)).isEqualTo(KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN.getValue());
        assertThat(kdc.tcp.get()).isZero();
    }

    /** MIT: a request larger than udp_preference_limit (default 1465 bytes) goes over TCP first. */
    @Test
    void sendWhenRequestLargerThanUdpPreferenceLimitThenTcpFirst() throws Exception {
        FakeKdc kdc = kdc(KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, KrbErrorCode.KDC_ERR_BADOPTION);

        byte[] reply = transport(conf("kdc = 127.0.0.1:" + kdc.port), dns()).send("S4U2Proxy", new byte[1466]);

        assertThat(KdcTransport.errorCode(reply)).isEqualTo(KrbErrorCode.KDC_ERR_BADOPTION.getValue());
        assertThat(kdc.udp.get()).isZero();
    }

    @Test
    void parseWhenUdpPreferenceLimitAndDnsLookupKdcThenRead() {
        Krb5Realms conf = Krb5Realms.parse("[libdefaults]\n udp_preference_limit = 1\n dns_lookup_kdc = yes\n");
        assertThat(conf.udpPreferenceLimit()).isEqualTo(1);
        assertThat(conf.dnsLookupKdc()).isTrue();
        assertThat(Krb5Realms.parse("").udpPreferenceLimit()).isEqualTo(1465);
        assertThat(Krb5Realms.parse("").dnsLookupKdc()).isTrue();
    }

    private static Krb5Realms conf(String realmLines) {
        return Krb5Realms.parse("[libdefaults]\n default_realm = " + REALM + "\n[realms]\n " + REALM + " = {\n        "
                + realmLines + "\n }\n");
    }

    private static KdcTransport transport(Krb5Realms conf, TinyDns dns) {
        return new KdcTransport(new KdcLocator(conf, Optional.of(dns.address()), TIMEOUT).of(REALM),
                conf.udpPreferenceLimit(), TIMEOUT, Clock.systemUTC());
    }

    private TinyDns dns() throws IOException {
        TinyDns dns = new TinyDns();
        open.add(dns);
        return dns;
    }

    private FakeKdc kdc(KrbErrorCode overUdp, KrbErrorCode overTcp) throws IOException {
        FakeKdc kdc = new FakeKdc(error(overUdp), error(overTcp));
        open.add(kdc);
        return kdc;
    }

    /** A KDC on one loopback port over UDP and TCP, answering each transport with its own KRB-ERROR, counting. */
    static final class FakeKdc implements AutoCloseable {
        final ServerSocket tcpSocket;
        final DatagramSocket udpSocket;
        final int port;
        final AtomicInteger udp = new AtomicInteger();
        final AtomicInteger tcp = new AtomicInteger();

        FakeKdc(byte[] udpAnswer, byte[] tcpAnswer) throws IOException {
            ServerSocket server = null;
            DatagramSocket datagrams = null;
            for (int i = 0; i < 20 && datagrams == null; i++) {
                server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                try {
                    datagrams = new DatagramSocket(server.getLocalPort(), InetAddress.getLoopbackAddress());
                } catch (BindException e) {
                    server.close();
                }
            }
            if (datagrams == null) {
                throw new BindException("no loopback port free for both UDP and TCP");
            }
            tcpSocket = server;
            udpSocket = datagrams;
            port = server.getLocalPort();
            DatagramSocket u = datagrams;
            daemon(() -> {
                byte[] buffer = new byte[65_535];
                while (!u.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                        u.receive(p);
                        udp.incrementAndGet();
                        u.send(new DatagramPacket(udpAnswer, udpAnswer.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        // closed by the test
                    }
                }
            });
            ServerSocket t = server;
            daemon(() -> {
                while (!t.isClosed()) {
                    try (Socket s = t.accept()) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        in.readNBytes(in.readInt());
                        tcp.incrementAndGet();
                        DataOutputStream out = new DataOutputStream(s.getOutputStream());
                        out.writeInt(tcpAnswer.length);
                        out.write(tcpAnswer);
                        out.flush();
                    } catch (IOException e) {
                        // closed by the test
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            udpSocket.close();
            tcpSocket.close();
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "fake-kdc");
        t.setDaemon(true);
        t.start();
    }

    private static byte[] error(KrbErrorCode code) {
        KrbError error = new KrbError();
        error.setStime(new KerberosTime(System.currentTimeMillis() / 1000 * 1000));
        error.setSusec(0);
        error.setErrorCode(code);
        error.setRealm(REALM);
        error.setSname(new PrincipalName("krbtgt/" + REALM, NameType.NT_SRV_INST));
        try {
            return error.encode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
