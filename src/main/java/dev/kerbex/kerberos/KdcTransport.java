package dev.kerbex.kerberos;

import dev.kerbex.observability.KerbexMeters;
import dev.kerbex.observability.Traces;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;

/**
 * Sends one KDC request and returns the first answer, as MIT's {@code krb5_sendto_kdc} does (RFC 4120 §7.2): the
 * realm's KDCs in order ({@link KdcLocator}), each with a bounded wait, the next one when a KDC does not answer in
 * time. A request up to {@code udp_preference_limit} bytes goes over UDP first, a larger one over TCP first (each KDC
 * that allows the other transport is tried over it afterwards); a KDC that answers {@code KRB_ERR_RESPONSE_TOO_BIG}
 * over UDP makes Kerbex send the request again over TCP only. KDCs found in DNS are looked up again after a while and
 * when none of them answered.
 */
final class KdcTransport {
    static final int MAX_REPLY = 1 << 20;
    /** RFC 4120 §7.5.9: the KDC's reply does not fit a UDP datagram; use TCP. */
    static final int KRB_ERR_RESPONSE_TOO_BIG = 52;
    /** How long KDCs found in DNS are used before they are looked up again. */
    private static final Duration DNS_REFRESH = Duration.ofMinutes(10);
    private static final int MAX_DATAGRAM = 65_507;
    /**
     * TCP exchanges this transport has open at once. MIT's krb5kdc listens with a backlog of 5 and serves one request
     * at a time: more simultaneous connections than that overflow its accept queue, the kernel drops the SYNs, and
     * each dropped connect waits a full SYN retransmission (1 s, then 3 s) — measured as a 1 s p99 of the inverse path
     * at 16 client threads (bench/README.md). Queued here instead, a request waits for a few ms, within its timeout.
     */
    static final int MAX_CONCURRENT_TCP = 4;

    /** Where the KDCs are: krb5.conf's lines, DNS, or (in tests) a fixed list. */
    interface Kdcs {
        List<Krb5Realms.Kdc> locate() throws S4uException;

        /** Whether {@link #locate()} asks DNS, so that its answer is asked again after a while. */
        boolean fromDns();

        /** Why {@link #locate()} found none, for the error. */
        String noneFound();
    }

    private final Kdcs source;
    private final int udpPreferenceLimit;
    private final Duration timeout;
    private final Clock clock;
    private final Semaphore tcpSlots = new Semaphore(MAX_CONCURRENT_TCP, true);
    private volatile Located located;

    private record Located(List<Krb5Realms.Kdc> kdcs, Instant until) {
    }

    KdcTransport(Kdcs source, int udpPreferenceLimit, Duration timeout, Clock clock) {
        this.source = source;
        this.udpPreferenceLimit = udpPreferenceLimit;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** These KDCs, in this order, none from DNS. */
    static KdcTransport fixed(List<Krb5Realms.Kdc> kdcs, int udpPreferenceLimit, Duration timeout) {
        List<Krb5Realms.Kdc> copy = List.copyOf(kdcs);
        return new KdcTransport(new Kdcs() {
            @Override
            public List<Krb5Realms.Kdc> locate() {
                return copy;
            }

            @Override
            public boolean fromDns() {
                return false;
            }

            @Override
            public String noneFound() {
                return "krb5.conf lists no KDC for the realm";
            }
        }, udpPreferenceLimit, timeout, Clock.systemUTC());
    }

    /** The realm's KDCs as last located (for tests and diagnostics). */
    List<Krb5Realms.Kdc> kdcs() throws S4uException {
        return current().kdcs();
    }

    /** The first KDC answer to {@code request}, which is a whole Kerberos message (no TCP length prefix). */
    byte[] send(String step, byte[] request) throws S4uException {
        Located kdcs = current();
        if (kdcs.kdcs().isEmpty()) {
            located = null;
            throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, step + ": " + source.noneFound(), null);
        }
        List<String> failures = new ArrayList<>();
        boolean udpFirst = request.length <= udpPreferenceLimit;
        List<Attempt> attempts = new ArrayList<>();
        for (boolean udpPass : udpFirst ? List.of(true, false) : List.of(false, true)) {
            for (Krb5Realms.Kdc kdc : kdcs.kdcs()) {
                if (udpPass ? kdc.transport().udp() : kdc.transport().tcp()) {
                    attempts.add(new Attempt(kdc, udpPass));
                }
            }
        }
        boolean tcpOnly = false;
        for (Attempt attempt : attempts) {
            if (tcpOnly && attempt.udp()) {
                continue;
            }
            byte[] reply;
            try (Traces.Span span = Traces.start("kerbex.kdc").attribute("kerbex.kdc", name(attempt.kdc(), attempt.udp()))
                    .attribute("kerbex.kdc.step", step)) {
                reply = attempt.udp() ? udp(step, attempt.kdc(), request, failures)
                        : tcp(step, attempt.kdc(), request, failures);
                if (reply == null) {
                    span.failed("no answer");
                    continue;
                }
            }
            if (attempt.udp() && errorCode(reply) == KRB_ERR_RESPONSE_TOO_BIG) {
                failures.add(name(attempt.kdc(), true) + " answered KRB_ERR_RESPONSE_TOO_BIG");
                tcpOnly = true;
                continue;
            }
            return reply;
        }
        if (source.fromDns()) {
            located = null;
        }
        throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, step + ": no KDC answered within " + timeout.toMillis()
                + " ms (" + String.join("; ", failures) + ")", null);
    }

    private record Attempt(Krb5Realms.Kdc kdc, boolean udp) {
    }

    private Located current() throws S4uException {
        Located now = located;
        if (now != null && clock.instant().isBefore(now.until())) {
            return now;
        }
        Instant until = source.fromDns() ? clock.instant().plus(DNS_REFRESH) : Instant.MAX;
        Located fresh = new Located(source.locate(), until);
        located = fresh;
        return fresh;
    }

    /** TCP (RFC 4120 §7.2.2): a 4-byte length before each message. */
    private byte[] tcp(String step, Krb5Realms.Kdc kdc, byte[] request, List<String> failures) {
        long started = System.nanoTime();
        String name = kdc.host() + ":" + kdc.port();
        int millis = millis();
        try {
            if (!tcpSlots.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                KerbexMeters.kdcCall(name, step, false, System.nanoTime() - started);
                failures.add(name(kdc, false) + " not tried: " + MAX_CONCURRENT_TCP + " TCP exchanges already open");
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(name(kdc, false) + " not tried: interrupted");
            return null;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(kdc.host(), kdc.port()), millis);
            socket.setSoTimeout(millis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            if (length <= 0 || length > MAX_REPLY) {
                KerbexMeters.kdcCall(name, step, false, System.nanoTime() - started);
                failures.add(name(kdc, false) + " sent a reply of " + length + " bytes");
                return null;
            }
            byte[] reply = in.readNBytes(length);
            if (reply.length != length) {
                KerbexMeters.kdcCall(name, step, false, System.nanoTime() - started);
                failures.add(name(kdc, false) + " closed the connection mid-reply");
                return null;
            }
            KerbexMeters.kdcCall(name, step, true, System.nanoTime() - started);
            return reply;
        } catch (IOException e) {
            KerbexMeters.kdcCall(name, step, false, System.nanoTime() - started);
            failures.add(name(kdc, false) + " " + describe(e));
            return null;
        } finally {
            tcpSlots.release();
        }
    }

    /** UDP (RFC 4120 §7.2.1): the message alone in one datagram, the reply in one datagram from the same address. */
    private byte[] udp(String step, Krb5Realms.Kdc kdc, byte[] request, List<String> failures) {
        long started = System.nanoTime();
        String name = kdc.host() + ":" + kdc.port();
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress address = new InetSocketAddress(kdc.host(), kdc.port());
            // Connected: only the KDC's datagrams are received, and a closed port fails at once (ICMP unreachable).
            socket.connect(address);
            socket.setSoTimeout(millis());
            socket.send(new DatagramPacket(request, request.length));
            byte[] buffer = new byte[MAX_DATAGRAM];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            KerbexMeters.kdcCall(name, step, true, System.nanoTime() - started);
            return Arrays.copyOf(buffer, packet.getLength());
        } catch (IOException | IllegalArgumentException e) {
            KerbexMeters.kdcCall(name, step, false, System.nanoTime() - started);
            failures.add(name(kdc, true) + " " + describe(e));
            return null;
        }
    }

    /** The error code of a KRB-ERROR ({@code [APPLICATION 30]}); -1 for any other message or one that does not decode. */
    static int errorCode(byte[] message) {
        if (message.length == 0 || (message[0] & 0xff) != 0x7e) {
            return -1;
        }
        try {
            Der.check(message);
            return KrbCodec.decodeMessage(ByteBuffer.wrap(message)) instanceof KrbError error
                    && error.getErrorCode() != null ? error.getErrorCode().getValue() : -1;
        } catch (KerberosVerificationException | IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private int millis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    private static String name(Krb5Realms.Kdc kdc, boolean udp) {
        return (udp ? "udp/" : "tcp/") + kdc.host() + ":" + kdc.port();
    }
}
