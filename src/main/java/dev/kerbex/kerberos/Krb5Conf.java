package dev.kerbex.kerberos;

import java.util.List;

/**
 * A krb5.conf for a single loopback realm, as MIT tools and the JDK read it: no DNS (no KDC lookup, no
 * canonicalisation, no reverse lookups), TCP first, forwardable tickets, and a fixed enctype list.
 */
public final class Krb5Conf {
    private Krb5Conf() {
    }

    /**
     * @param domains DNS names mapped to the realm ({@code localhost}, {@code .example.test}, …)
     * @param extraLibdefaults further {@code [libdefaults]} lines, e.g. a {@code default_ccache_name}
     */
    public static String render(String realm, int kdcPort, List<String> enctypes, List<String> domains,
            List<String> extraLibdefaults) {
        String etypes = String.join(" ", enctypes);
        StringBuilder out = new StringBuilder()
                .append("[libdefaults]\n")
                .append("    default_realm = ").append(realm).append('\n')
                .append("    dns_lookup_kdc = false\n")
                .append("    dns_lookup_realm = false\n")
                .append("    dns_canonicalize_hostname = false\n")
                .append("    rdns = false\n")
                .append("    forwardable = true\n")
                .append("    udp_preference_limit = 1\n")
                .append("    default_tkt_enctypes = ").append(etypes).append('\n')
                .append("    default_tgs_enctypes = ").append(etypes).append('\n')
                .append("    permitted_enctypes = ").append(etypes).append('\n');
        extraLibdefaults.forEach(line -> out.append("    ").append(line).append('\n'));
        out.append("\n[realms]\n    ").append(realm).append(" = {\n        kdc = 127.0.0.1:").append(kdcPort)
                .append("\n    }\n\n[domain_realm]\n");
        domains.forEach(d -> out.append("    ").append(d).append(" = ").append(realm).append('\n'));
        return out.toString();
    }
}
