package dev.kerbex.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The MIT Kerberos realm S4U.TEST with its LDAP backend, provisioned from scratch by
 * {@code scripts/s4u-realm.sh} (which installs the Debian packages when they are missing) on loopback
 * ports of its own. Only for *IT tests: it points the JVM's Kerberos configuration at this realm.
 */
public final class S4uRealm implements AutoCloseable {
    public static final String REALM = "S4U.TEST";
    public static final String KERBEX = "HTTP/kerbex.s4u.test@S4U.TEST";
    public static final String POSTGRES = "postgres/db.s4u.test@S4U.TEST";
    public static final String WEB = "HTTP/web.s4u.test@S4U.TEST";
    public static final String ALICE = "alice@S4U.TEST";

    public static final String NO_PROTOCOL_TRANSITION = "HTTP/noproto.s4u.test@S4U.TEST";

    private static S4uRealm shared;

    private final Path dir;

    private S4uRealm(Path dir) {
        this.dir = dir;
    }

    /**
     * The JVM's one realm, started on first use and stopped when the JVM exits: the JDK's Kerberos configuration
     * is global, so every test of a JVM must talk to the same realm.
     */
    public static synchronized S4uRealm shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            S4uRealm realm = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    realm.close();
                } catch (Exception e) {
                    // the JVM is going away
                }
            }));
        }
        return shared;
    }

    /**
     * A realm of its own, SHA2.TEST ({@code scripts/s4u-realm.sh start-rfc8009}): the same principals under
     * {@code *.sha2.test}, every key (the krbtgt's too) of the RFC 8009 enctypes, which are all its KDC permits. The
     * caller closes it; the JVM's Kerberos configuration is left alone (see {@link #krb5Conf()}).
     */
    public static S4uRealm rfc8009() throws IOException, InterruptedException {
        Path dir = Path.of("target", "rfc8009-realm").toAbsolutePath();
        run("scripts/s4u-realm.sh", "start-rfc8009", dir.toString(), Integer.toString(freePortPair()));
        return new S4uRealm(dir);
    }

    private static S4uRealm start() throws IOException, InterruptedException {
        Path dir = Path.of("target", "s4u-realm").toAbsolutePath();
        int port = freePortPair();
        run("scripts/s4u-realm.sh", "start", dir.toString(), Integer.toString(port));
        System.setProperty("java.security.krb5.conf", dir.resolve("krb5.conf").toString());
        System.setProperty("sun.security.krb5.disableReferrals", "true");
        System.setProperty("javax.security.auth.useSubjectCredsOnly", "true");
        return new S4uRealm(dir);
    }

    public Path keytab(String name) {
        return dir.resolve(name + ".keytab");
    }

    public Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    /** Stops the KDC only (slapd stays up), to see what an unreachable KDC does. */
    public void stopKdc() throws IOException, InterruptedException {
        Path pid = dir.resolve("krb5kdc.pid");
        run("sh", "-c", "p=$(cat " + pid + "); kill $p; while kill -0 $p 2>/dev/null; do sleep 0.05; done");
    }

    /** Starts the KDC again after {@link #stopKdc()}. */
    public void startKdc() throws IOException, InterruptedException {
        run("scripts/s4u-realm.sh", "start-kdc", dir.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("scripts/s4u-realm.sh", "stop", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Two consecutive free ports: slapd on the first, the KDC on the second. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IOException("no two consecutive free ports on loopback");
    }
}
