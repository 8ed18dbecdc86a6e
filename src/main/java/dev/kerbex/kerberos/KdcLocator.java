package dev.kerbex.kerberos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.spi.InitialContextFactory;

/**
 * Where a realm's KDCs are, as MIT's library and Windows clients find them: the krb5.conf {@code kdc} lines when the
 * realm has some; otherwise, unless {@code dns_lookup_kdc = false}, the DNS SRV records {@code _kerberos._udp.REALM}
 * and {@code _kerberos._tcp.REALM} (RFC 4120 §7.2.3.2, RFC 2782), which every Active Directory DC publishes. The
 * lookup is the JDK's JNDI DNS provider ({@code com.sun.jndi.dns}, module {@code jdk.naming.dns}) asking the system's
 * resolvers, or the one resolver of {@code kerbex.kerberos.dns-resolver}; the SRV targets' addresses are asked of the
 * same resolver.
 */
final class KdcLocator {
    private static final String DNS_FACTORY = "com.sun.jndi.dns.DnsContextFactory";
    /**
     * The JDK's DNS provider itself, from the boot layer's services: {@code new InitialDirContext(...)} would go through
     * {@code NamingManager}, where Quarkus installs a builder that disables JNDI ({@code quarkus.naming.enable-jndi});
     * only this DNS client is wanted, not JNDI lookups in general.
     */
    private static final Optional<InitialContextFactory> DNS_PROVIDER = ServiceLoader.load(ModuleLayer.boot(),
            InitialContextFactory.class).stream().filter(p -> p.type().getName().equals(DNS_FACTORY))
            .map(ServiceLoader.Provider::get).findFirst();

    private final Krb5Realms conf;
    private final Optional<String> resolver;
    private final Duration timeout;

    /**
     * @param resolver {@code host[:port]} of the DNS server to ask; empty = the system's ({@code /etc/resolv.conf})
     * @param timeout  the longest wait for one DNS answer
     */
    KdcLocator(Krb5Realms conf, Optional<String> resolver, Duration timeout) {
        this.conf = conf;
        this.resolver = resolver.map(String::strip).filter(r -> !r.isEmpty());
        this.timeout = timeout;
    }

    /** The realm's KDCs for {@link KdcTransport}. */
    KdcTransport.Kdcs of(String realm) {
        return new KdcTransport.Kdcs() {
            @Override
            public List<Krb5Realms.Kdc> locate() throws S4uException {
                return KdcLocator.this.locate(realm);
            }

            @Override
            public boolean fromDns() {
                return KdcLocator.this.fromDns(realm);
            }

            @Override
            public String noneFound() {
                return fromDns() ? "DNS names no KDC for " + realm + " (no SRV records _kerberos._udp." + realm
                        + " or _kerberos._tcp." + realm + ")" : "krb5.conf lists no KDC for the realm";
            }
        };
    }

    /** Whether the realm's KDCs come from DNS (no {@code kdc} lines, DNS lookups allowed). */
    boolean fromDns(String realm) {
        return conf.kdcEntries(realm).isEmpty() && conf.dnsLookupKdc();
    }

    /**
     * The realm's KDCs in the order to try them: the krb5.conf lines, else the UDP records then the TCP ones, each set
     * by priority and, within a priority, in weighted random order (RFC 2782).
     */
    List<Krb5Realms.Kdc> locate(String realm) throws S4uException {
        if (!fromDns(realm)) {
            return conf.kdcEntries(realm);
        }
        if (DNS_PROVIDER.isEmpty()) {
            throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, "DNS lookup of the KDCs of " + realm
                    + ": the JDK's module jdk.naming.dns is missing (a jlink image without it?)", null);
        }
        DirContext dns;
        try {
            dns = (DirContext) DNS_PROVIDER.get().getInitialContext(environment());
        } catch (NamingException | RuntimeException e) {
            throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, "DNS lookup of the KDCs of " + realm
                    + ": no resolver (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            List<Krb5Realms.Kdc> kdcs = new ArrayList<>();
            kdcs.addAll(srv(dns, "_kerberos._udp." + realm, Krb5Realms.Transport.UDP));
            kdcs.addAll(srv(dns, "_kerberos._tcp." + realm, Krb5Realms.Transport.TCP));
            return List.copyOf(kdcs);
        } finally {
            try {
                dns.close();
            } catch (NamingException ignored) {
                // nothing held open between lookups
            }
        }
    }

    private Hashtable<String, String> environment() {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, DNS_FACTORY);
        env.put(Context.PROVIDER_URL, resolver.map(r -> "dns://" + r).orElse("dns:"));
        // JNDI doubles the wait on each retry: one retry keeps a lookup within about three timeouts.
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(Math.max(1, timeout.toMillis())));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        return env;
    }

    private record Srv(int priority, int weight, int port, String target) {
    }

    private List<Krb5Realms.Kdc> srv(DirContext dns, String name, Krb5Realms.Transport transport) throws S4uException {
        List<Srv> records = new ArrayList<>();
        for (String value : values(dns, name, "SRV")) {
            String[] f = value.strip().split("\\s+");
            if (f.length != 4) {
                continue;
            }
            try {
                String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                int port = Integer.parseInt(f[2]);
                // RFC 2782: a target of "." means the service is decidedly not available at this domain.
                if (!target.isEmpty() && port > 0 && port < 65536) {
                    records.add(new Srv(Integer.parseInt(f[0]), Integer.parseInt(f[1]), port, target));
                }
            } catch (NumberFormatException e) {
                // a malformed record is skipped, as resolvers do
            }
        }
        List<Krb5Realms.Kdc> kdcs = new ArrayList<>();
        for (Srv s : ordered(records)) {
            kdcs.add(new Krb5Realms.Kdc(address(dns, s.target()), s.port(), transport));
        }
        return kdcs;
    }

    /** RFC 2782: lowest priority first; within one priority, each next record drawn with probability by weight. */
    private static List<Srv> ordered(List<Srv> records) {
        List<Srv> out = new ArrayList<>();
        List<Srv> rest = new ArrayList<>(records);
        rest.sort(Comparator.comparingInt(Srv::priority));
        while (!rest.isEmpty()) {
            int priority = rest.get(0).priority();
            List<Srv> same = new ArrayList<>(rest.stream().filter(s -> s.priority() == priority).toList());
            rest.removeAll(same);
            while (!same.isEmpty()) {
                int total = same.stream().mapToInt(s -> s.weight() + 1).sum();
                int pick = ThreadLocalRandom.current().nextInt(total);
                for (Srv s : same) {
                    pick -= s.weight() + 1;
                    if (pick < 0) {
                        out.add(s);
                        same.remove(s);
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The target's address as the same resolver knows it (a domain's own DNS may be the only one that does); the name
     * itself, for the system to resolve, when the resolver has no A/AAAA record for it.
     */
    private String address(DirContext dns, String host) throws S4uException {
        for (String type : List.of("A", "AAAA")) {
            List<String> addresses = values(dns, host, type);
            if (!addresses.isEmpty()) {
                return addresses.get(0).strip();
            }
        }
        return host;
    }

    private List<String> values(DirContext dns, String name, String type) throws S4uException {
        List<String> values = new ArrayList<>();
        try {
            Attributes attributes = dns.getAttributes(name, new String[] {type});
            Attribute attribute = attributes.get(type);
            if (attribute == null) {
                return values;
            }
            NamingEnumeration<?> all = attribute.getAll();
            while (all.hasMore()) {
                values.add(String.valueOf(all.next()));
            }
            return values;
        } catch (NameNotFoundException e) {
            return values;
        } catch (NamingException e) {
            throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, "DNS lookup of " + type + " "
                    + name.toLowerCase(Locale.ROOT) + " at " + resolver.orElse("the system's resolvers") + " failed ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
