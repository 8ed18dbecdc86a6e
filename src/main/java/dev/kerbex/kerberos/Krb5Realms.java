package dev.kerbex.kerberos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the inverse path needs from a krb5.conf (MIT profile syntax): {@code [libdefaults] default_realm},
 * {@code dns_lookup_kdc} and {@code udp_preference_limit}, and each realm's {@code kdc = [tcp/|udp/]host[:port]}
 * lines in {@code [realms]}. A realm without {@code kdc} lines is located in DNS ({@link KdcLocator});
 * {@code include}/{@code includedir} are not followed.
 */
public final class Krb5Realms {
    private static final int KERBEROS_PORT = 88;
    /** MIT's default: requests up to this many bytes go over UDP first, larger ones over TCP (RFC 4120 §7.2.1). */
    static final int DEFAULT_UDP_PREFERENCE_LIMIT = 1465;
    /** MIT's ceiling for udp_preference_limit. */
    private static final int MAX_UDP_PREFERENCE_LIMIT = 32700;

    /** A {@code kdc} line: where, and over which transports ({@code tcp/} or {@code udp/} prefix, else both). */
    public record Kdc(String host, int port, Transport transport) {
        public InetSocketAddress address() {
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    public enum Transport {
        UDP, TCP, ANY;

        boolean udp() {
            return this != TCP;
        }

        boolean tcp() {
            return this != UDP;
        }
    }

    private final String defaultRealm;
    private final Map<String, List<Kdc>> kdcs;
    private final Boolean dnsLookupKdc;
    private final int udpPreferenceLimit;

    private Krb5Realms(String defaultRealm, Map<String, List<Kdc>> kdcs, Boolean dnsLookupKdc, int udpPreferenceLimit) {
        this.defaultRealm = defaultRealm;
        this.kdcs = kdcs;
        this.dnsLookupKdc = dnsLookupKdc;
        this.udpPreferenceLimit = udpPreferenceLimit;
    }

    public static Krb5Realms read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Krb5Realms parse(String text) {
        String section = "";
        String realm = null;
        int depth = 0;
        String defaultRealm = null;
        Boolean dnsLookupKdc = null;
        int udpLimit = DEFAULT_UDP_PREFERENCE_LIMIT;
        Map<String, List<Kdc>> kdcs = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (depth == 0 && line.startsWith("[")) {
                int end = line.indexOf(']');
                section = (end > 0 ? line.substring(1, end) : "").strip().toLowerCase(Locale.ROOT);
                continue;
            }
            if (line.startsWith("}")) {
                depth = Math.max(0, depth - 1);
                if (depth == 0) {
                    realm = null;
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            if (value.startsWith("{")) {
                if (depth == 0 && section.equals("realms")) {
                    realm = key;
                }
                depth++;
                continue;
            }
            if (depth == 0 && section.equals("libdefaults") && key.equalsIgnoreCase("default_realm")) {
                defaultRealm = value;
            } else if (depth == 0 && section.equals("libdefaults") && key.equalsIgnoreCase("dns_lookup_kdc")) {
                dnsLookupKdc = bool(value);
            } else if (depth == 0 && section.equals("libdefaults") && key.equalsIgnoreCase("udp_preference_limit")) {
                int limit = port(value) > 0 ? Integer.parseInt(value.strip()) : -1;
                udpLimit = limit > 0 ? Math.min(limit, MAX_UDP_PREFERENCE_LIMIT) : udpLimit;
            } else if (depth == 1 && realm != null && key.equalsIgnoreCase("kdc")) {
                String owner = realm;
                address(value).ifPresent(a -> kdcs.computeIfAbsent(owner, r -> new ArrayList<>()).add(a));
            }
        }
        return new Krb5Realms(defaultRealm, kdcs, dnsLookupKdc, udpLimit);
    }

    public Optional<String> defaultRealm() {
        return Optional.ofNullable(defaultRealm);
    }

    /** The realm's KDCs in the file's order; empty when the file lists none. */
    public List<InetSocketAddress> kdcs(String realm) {
        return kdcEntries(realm).stream().map(Kdc::address).toList();
    }

    /** The realm's {@code kdc} lines in the file's order, with their transports; empty when the file lists none. */
    public List<Kdc> kdcEntries(String realm) {
        return kdcs.getOrDefault(realm, List.of());
    }

    /**
     * Whether a realm without {@code kdc} lines is looked up in DNS: {@code dns_lookup_kdc}, true unless set false
     * (MIT's default; Active Directory clients always do).
     */
    public boolean dnsLookupKdc() {
        return dnsLookupKdc == null || dnsLookupKdc;
    }

    /** Requests up to this size try UDP first, larger ones TCP first ({@code udp_preference_limit}; 1 = always TCP). */
    public int udpPreferenceLimit() {
        return udpPreferenceLimit;
    }

    /** MIT's profile booleans: y, yes, true, t, 1, on (and their negations); anything else counts as false. */
    private static boolean bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true", "t", "1", "on" -> true;
            default -> false;
        };
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port}; an optional {@code tcp/} or {@code udp/} prefix. */
    private static Optional<Kdc> address(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        Transport transport = lower.startsWith("tcp/") ? Transport.TCP : lower.startsWith("udp/") ? Transport.UDP
                : Transport.ANY;
        String v = value.replaceFirst("(?i)^(tcp|udp|kkdcp)/", "").strip();
        if (v.isEmpty() || v.contains("://")) {
            return Optional.empty();
        }
        String host = v;
        int port = KERBEROS_PORT;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1));
            }
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            host = v.substring(0, v.indexOf(':'));
            port = port(v.substring(v.indexOf(':') + 1));
        }
        if (port <= 0 || host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Kdc(host, port, transport));
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text.strip());
            return p > 0 && p < 65536 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
