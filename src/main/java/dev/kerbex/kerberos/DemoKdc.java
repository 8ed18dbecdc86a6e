package dev.kerbex.kerberos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * The demo realm of the embedded default run: Apache Kerby's in-JVM KDC on 127.0.0.1, a user with a known
 * password, Kerbex's own service principal exported to a keytab, and a krb5.conf for MIT and JDK clients.
 * Principals live in memory and are created afresh at each start (the keytab is rewritten each time).
 */
public final class DemoKdc implements AutoCloseable {
    public static final String REALM = "KERBEX.DEMO";
    public static final String SERVICE = "HTTP/localhost@" + REALM;
    public static final String USER = "alice@" + REALM;
    public static final String USER_PASSWORD = "alice-demo-password";
    public static final String SELF_EXCHANGE_SERVICE = "svc-demo/localhost@" + REALM;
    public static final String SELF_EXCHANGE_PASSWORD = "svc-demo-password";
    private static final String ENCTYPES = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96";

    private final SimpleKdcServer kdc;
    private final Path krb5Conf;
    private final Path keytab;

    private DemoKdc(SimpleKdcServer kdc, Path krb5Conf, Path keytab) {
        this.kdc = kdc;
        this.krb5Conf = krb5Conf;
        this.keytab = keytab;
    }

    public static DemoKdc start(Path dir, int port) {
        try {
            Files.createDirectories(dir);
            Path work = Files.createDirectories(dir.resolve("kdc"));
            SimpleKdcServer kdc = new SimpleKdcServer();
            kdc.setWorkDir(work.toFile());
            kdc.setKdcRealm(REALM);
            kdc.setKdcHost("127.0.0.1");
            kdc.setKdcTcpPort(port);
            kdc.setKdcUdpPort(port);
            kdc.setAllowTcp(true);
            kdc.setAllowUdp(true);
            kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, ENCTYPES);
            kdc.init();
            kdc.start();
            kdc.createPrincipal(USER, USER_PASSWORD);
            kdc.createPrincipal(SELF_EXCHANGE_SERVICE, SELF_EXCHANGE_PASSWORD);
            kdc.createPrincipal(SERVICE, randomPassword());
            Path keytab = dir.resolve("kerbex.keytab");
            Path fresh = dir.resolve("kerbex.keytab.new");
            Files.deleteIfExists(fresh);
            kdc.exportPrincipal(SERVICE, fresh.toFile());
            Files.move(fresh, keytab, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Path krb5Conf = dir.resolve("krb5.conf");
            Files.writeString(krb5Conf, krb5Conf(port), StandardCharsets.UTF_8);
            return new DemoKdc(kdc, krb5Conf, keytab);
        } catch (KrbException e) {
            throw new IllegalStateException("the demo KDC does not start on 127.0.0.1:" + port
                    + " (set kerbex.demo.kdc-port to a free port, or kerbex.demo.enabled=false): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo realm files under " + dir, e);
        }
    }

    private static String krb5Conf(int port) {
        return "# Kerbex demo realm: use with KRB5_CONFIG=<this file> kinit " + USER + "\n"
                + Krb5Conf.render(REALM, port, List.of(ENCTYPES.split(" ")), List.of("localhost"),
                        List.of("default_ccache_name = FILE:/tmp/krb5cc_kerbex_demo"));
    }

    private static String randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    public Path krb5Conf() {
        return krb5Conf;
    }

    public Path keytab() {
        return keytab;
    }

    @Override
    public void close() {
        try {
            kdc.stop();
        } catch (KrbException | RuntimeException e) {
            // stopping anyway
        }
    }
}
