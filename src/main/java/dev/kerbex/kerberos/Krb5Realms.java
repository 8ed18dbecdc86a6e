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
 * What the inverse path needs from a krb5.conf (MIT profile syntax): {@code [libdefaults] default_realm} and
 * each realm's {@code kdc = host[:port]} lines in {@code [realms]}. Kerbex talks to those KDCs itself for
 * the S4U ticket requests, so they must be listed: DNS SRV discovery ({@code dns_lookup_kdc}) and
 * {@code include}/{@code includedir} are not followed.
 */
public final class Krb5Realms {
    private static final int KERBEROS_PORT = 88;

    private final String defaultRealm;
    private final Map<String, List<InetSocketAddress>> kdcs;

    private Krb5Realms(String defaultRealm, Map<String, List<InetSocketAddress>> kdcs) {
        this.defaultRealm = defaultRealm;
        this.kdcs = kdcs;
    }

    public static Krb5Realms read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Krb5Realms parse(String text) {
        String section = "";
        String realm = null;
        int depth = 0;
        String defaultRealm = null;
        Map<String, List<InetSocketAddress>> kdcs = new LinkedHashMap<>();
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
            } else if (depth == 1 && realm != null && key.equalsIgnoreCase("kdc")) {
                String owner = realm;
                address(value).ifPresent(a -> kdcs.computeIfAbsent(owner, r -> new ArrayList<>()).add(a));
            }
        }
        return new Krb5Realms(defaultRealm, kdcs);
    }

    public Optional<String> defaultRealm() {
        return Optional.ofNullable(defaultRealm);
    }

    /** The realm's KDCs in the file's order; empty when the file lists none. */
    public List<InetSocketAddress> kdcs(String realm) {
        return kdcs.getOrDefault(realm, List.of());
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port}; an optional {@code tcp/} or {@code udp/} prefix. */
    private static Optional<InetSocketAddress> address(String value) {
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
        return Optional.of(InetSocketAddress.createUnresolved(host, port));
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
