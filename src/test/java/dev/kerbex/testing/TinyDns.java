package dev.kerbex.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DNS server for tests (RFC 1035 over UDP, on a free loopback port): answers SRV and A questions from the records it
 * is given, NXDOMAIN for any other name, and records each question ({@code name/TYPE}).
 */
public final class TinyDns implements AutoCloseable {
    private static final int A = 1;
    private static final int SRV = 33;

    private final DatagramSocket socket;
    private final Map<String, List<byte[]>> srv = new ConcurrentHashMap<>();
    private final Map<String, byte[]> a = new ConcurrentHashMap<>();
    private final List<String> questions = new CopyOnWriteArrayList<>();

    public TinyDns() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "tiny-dns");
        t.setDaemon(true);
        t.start();
    }

    /** {@code host:port} for {@code kerbex.kerberos.dns-resolver}. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public TinyDns srv(String name, int priority, int weight, int port, String target) {
        ByteBuffer rdata = ByteBuffer.allocate(6 + 256);
        rdata.putShort((short) priority).putShort((short) weight).putShort((short) port).put(name(target));
        srv.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>())
                .add(java.util.Arrays.copyOf(rdata.array(), rdata.position()));
        return this;
    }

    public TinyDns a(String name, String ipv4) throws IOException {
        a.put(key(name), InetAddress.getByName(ipv4).getAddress());
        return this;
    }

    public List<String> questions() {
        return List.copyOf(questions);
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] reply = answer(ByteBuffer.wrap(buffer, 0, packet.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                // closed, or a malformed question: no answer
            }
        }
    }

    private byte[] answer(ByteBuffer q) {
        short id = q.getShort();
        q.position(12);
        StringBuilder name = new StringBuilder();
        for (int len = q.get() & 0xff; len > 0; len = q.get() & 0xff) {
            byte[] label = new byte[len];
            q.get(label);
            name.append(name.length() == 0 ? "" : ".").append(new String(label, StandardCharsets.US_ASCII));
        }
        int type = q.getShort() & 0xffff;
        q.getShort();
        int questionEnd = q.position();
        questions.add(name.toString().toLowerCase(Locale.ROOT) + "/" + (type == SRV ? "SRV" : type == A ? "A" : type));
        List<byte[]> rdatas = type == SRV ? srv.getOrDefault(key(name.toString()), List.of())
                : type == A && a.containsKey(key(name.toString())) ? List.of(a.get(key(name.toString()))) : List.of();
        boolean known = srv.containsKey(key(name.toString())) || a.containsKey(key(name.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(12);
        // QR, AA, RD copied, RA; RCODE 3 (NXDOMAIN) for an unknown name.
        header.putShort(id).putShort((short) (0x8580 | (known ? 0 : 3))).putShort((short) 1)
                .putShort((short) rdatas.size()).putShort((short) 0).putShort((short) 0);
        out.writeBytes(header.array());
        out.write(q.array(), 12, questionEnd - 12);
        for (byte[] rdata : rdatas) {
            ByteBuffer rr = ByteBuffer.allocate(12 + rdata.length);
            // A pointer to the question's name (offset 12), type, class IN, TTL 60, the data.
            rr.putShort((short) 0xc00c).putShort((short) type).putShort((short) 1).putInt(60)
                    .putShort((short) rdata.length).put(rdata);
            out.writeBytes(rr.array());
        }
        return out.toByteArray();
    }

    private static byte[] name(String dotted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            if (!label.isEmpty()) {
                out.write(label.length());
                out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public void close() {
        socket.close();
    }
}
