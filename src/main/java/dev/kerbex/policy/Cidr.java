package dev.kerbex.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address.
 *
 * <p>Addresses are parsed here, by hand, and turned into {@link InetAddress} only through
 * {@link InetAddress#getByAddress(byte[])}: {@code InetAddress.getByName} would resolve anything
 * that is not a literal, and a policy must never cause a DNS lookup. Zone ids ({@code %eth0}) are
 * refused, as are networks with host bits set ({@code 10.1.0.0/8} is almost always a typo).
 *
 * <p>IPv4 and IPv6 networks are separate: {@code ::/0} does not contain {@code 10.0.0.1}. The one
 * bridge is the IPv4-mapped form ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2), which the JDK turns
 * into plain IPv4 for the addresses of incoming connections: an IPv4 network contains the mapped
 * form of its addresses, and a network written inside {@code ::ffff:0:0/96} contains the IPv4
 * addresses it maps.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException with a message fit for a policy admin
     */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("network is empty");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = parseAddress(address);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("prefix length '" + p + "' is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException("prefix length " + prefix + " exceeds " + bits + " bits");
            }
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                byte[] masked = bytes.clone();
                mask(masked, prefix);
                throw new IllegalArgumentException("host bits are set; did you mean "
                        + new Cidr(masked, prefix) + "?");
            }
        }
        return new Cidr(bytes, prefix);
    }

    /**
     * One IP address literal (strict dotted quad, or IPv6 text without a zone id), never a host name: the one
     * address parser of Kerbex (policies, the admin API's {@code evaluate}, the token endpoint's client address).
     * The result comes from {@link InetAddress#getByAddress(byte[])}, so nothing here ever asks a resolver.
     *
     * @throws IllegalArgumentException with a message fit for a policy admin
     */
    public static InetAddress address(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("address is empty");
        }
        try {
            return InetAddress.getByAddress(parseAddress(text));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e); // cannot happen: 4 or 16 bytes
        }
    }

    /** Whether {@code address} lies in this network; {@code null} lies in none. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length == 4 && network.length == 16) {
            if (prefix < 96 || !isMapped(network)) {
                return false;
            }
            a = mapped(a);
        } else if (a.length == 16 && network.length == 4 && isMapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int m = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & m) != (network[bit / 8] & m)) {
                return false;
            }
        }
        return true;
    }

    public int prefixLength() {
        return prefix;
    }

    private static byte[] parseAddress(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("address is empty");
        }
        if (s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("zone ids are not allowed in '" + s + "'");
        }
        if (s.indexOf(':') >= 0) {
            return parseV6(s);
        }
        byte[] v4 = parseV4(s);
        if (v4 == null) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address (host names are not allowed)");
        }
        return v4;
    }

    /** Strict dotted quad: four decimal parts, no leading zeros (which some parsers read as octal). */
    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** RFC 4291 §2.2 text forms: eight groups, one "::", optionally a trailing dotted quad. */
    private static byte[] parseV6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            throw invalidV6(s);
        }
        int[] head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0, s);
        int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), true, s);
        int count = head.length + tail.length;
        if (gap < 0 ? count != 8 : count > 7) {
            throw invalidV6(s);
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            out[2 * i] = (byte) (head[i] >>> 8);
            out[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            int g = 8 - tail.length + i;
            out[2 * g] = (byte) (tail[i] >>> 8);
            out[2 * g + 1] = (byte) tail[i];
        }
        return out;
    }

    private static int[] groups(String part, boolean v4Allowed, String whole) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        int[] out = new int[texts.length + 1];
        int n = 0;
        for (int i = 0; i < texts.length; i++) {
            String t = texts[i];
            if (i == texts.length - 1 && v4Allowed && t.indexOf('.') >= 0) {
                byte[] v4 = parseV4(t);
                if (v4 == null) {
                    throw invalidV6(whole);
                }
                out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
            } else {
                if (t.isEmpty() || t.length() > 4 || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw invalidV6(whole);
                }
                out[n++] = Integer.parseInt(t, 16);
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static IllegalArgumentException invalidV6(String s) {
        return new IllegalArgumentException("'" + s + "' is not a valid IPv6 address");
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** Canonical text: the JDK's literal form of the network address, then {@code /prefix}. */
    @Override
    public String toString() {
        try {
            // getByAddress never performs a lookup; it only wraps the bytes. It would turn a mapped
            // address into plain IPv4, which would misstate a /104 network, so keep that form.
            if (network.length == 16 && isMapped(network)) {
                return "::ffff:" + InetAddress.getByAddress(Arrays.copyOfRange(network, 12, 16)).getHostAddress()
                        + "/" + prefix;
            }
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // unreachable: the length is always 4 or 16
        }
    }
}
