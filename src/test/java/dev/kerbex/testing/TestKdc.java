package dev.kerbex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.kerbex.kerberos.Krb5Conf;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.identity.backend.IdentityBackend;
import org.apache.kerby.kerberos.kerb.request.KrbIdentity;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;

/**
 * A real KDC for tests: one per JVM, started on first use, stopped by a shutdown hook. Apache Kerby's
 * {@link SimpleKdcServer}, TCP only, on 127.0.0.1 and a free port, realm {@value #REALM}.
 *
 * <p>From a {@code @QuarkusTest}: {@code TestKdc.get().krb5Conf()}, {@code TestKdc.get().serviceKeytab()}
 * and {@code GssTokens.krb5(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.SERVICE)}.
 */
public final class TestKdc {

    public static final String REALM = "EXAMPLE.TEST";
    /** The Kerbex service principal; its keys are in {@link #serviceKeytab()}. */
    public static final String SERVICE = "HTTP/kerbex.example.test@EXAMPLE.TEST";
    public static final String SERVICE_PASSWORD = "kerbex-service-password";
    /** Another service of the realm, not Kerbex's. */
    public static final String OTHER_SERVICE = "HTTP/other.example.test@EXAMPLE.TEST";
    public static final String OTHER_SERVICE_PASSWORD = "other-service-password";
    public static final String ALICE = "alice@EXAMPLE.TEST";
    public static final String ALICE_PASSWORD = "alice-password";
    public static final String BILLING = "svc-billing/app.example.test@EXAMPLE.TEST";
    public static final String BILLING_PASSWORD = "billing-password";
    /** The enctypes the KDC issues keys for, strongest first. */
    public static final List<String> ENCTYPES = List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96");

    private static TestKdc instance;

    private final SimpleKdcServer kdc;
    private final Path workDir;
    private final int port;
    private final Path krb5Conf;
    private final Path serviceKeytab;

    /** The JVM's KDC, started on first call. */
    public static synchronized TestKdc get() {
        if (instance == null) {
            try {
                instance = new TestKdc();
            } catch (KrbException | IOException e) {
                throw new IllegalStateException("test KDC does not start", e);
            }
            TestKdc started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-kdc-stop"));
        }
        return instance;
    }

    private TestKdc() throws KrbException, IOException {
        Path target = Path.of("target");
        workDir = Files.isDirectory(target)
                ? Files.createTempDirectory(target, "test-kdc-")
                : Files.createTempDirectory("test-kdc-");
        port = freePort();
        kdc = new SimpleKdcServer();
        kdc.setWorkDir(workDir.toFile());
        kdc.setKdcRealm(REALM);
        kdc.setKdcHost("127.0.0.1");
        kdc.setKdcTcpPort(port);
        kdc.setAllowUdp(false);
        kdc.setAllowTcp(true);
        kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, String.join(" ", ENCTYPES));
        kdc.init();
        kdc.start();

        kdc.createPrincipal(SERVICE, SERVICE_PASSWORD);
        kdc.createPrincipal(OTHER_SERVICE, OTHER_SERVICE_PASSWORD);
        kdc.createPrincipal(ALICE, ALICE_PASSWORD);
        kdc.createPrincipal(BILLING, BILLING_PASSWORD);
        serviceKeytab = workDir.resolve("kerbex.keytab");
        exportKeytab(serviceKeytab, SERVICE);
        krb5Conf = workDir.resolve("krb5-jdk.conf");
        Files.writeString(krb5Conf, krb5ConfText(), StandardCharsets.UTF_8);
    }

    private String krb5ConfText() {
        return Krb5Conf.render(REALM, port, ENCTYPES, List.of(".example.test", "example.test"), List.of());
    }

    /** krb5.conf for JDK clients (and for Kerbex's own configuration in tests). */
    public Path krb5Conf() {
        return krb5Conf;
    }

    /** Keytab holding the keys of {@link #SERVICE}, as exported by the KDC (kvno 1). */
    public Path serviceKeytab() {
        return serviceKeytab;
    }

    public int port() {
        return port;
    }

    public String realm() {
        return REALM;
    }

    public Path workDir() {
        return workDir;
    }

    /** A Kerby client configured for this KDC. */
    public synchronized KrbClient krbClient() {
        return kdc.getKrbClient();
    }

    /** Adds a principal (name with or without {@code @REALM}) with a known password. */
    public synchronized void addPrincipal(String principal, String password) {
        try {
            kdc.createPrincipal(principal, password);
        } catch (KrbException e) {
            throw new IllegalStateException("cannot create principal " + principal, e);
        }
    }

    /** Writes the current keys of {@code principals} to a new keytab file at {@code file}. */
    public synchronized Path exportKeytab(Path file, String... principals) {
        try {
            Files.deleteIfExists(file);
            for (String principal : principals) {
                kdc.exportPrincipal(principal, file.toFile());
            }
            return file;
        } catch (KrbException | IOException e) {
            throw new IllegalStateException("cannot export keytab " + file, e);
        }
    }

    /**
     * Re-keys {@code principal} from {@code newPassword} with the next kvno, as a key rotation does, and
     * returns that kvno. Tickets issued afterwards are encrypted with the new key; pair it with
     * {@link TestKeytab} to write a keytab that holds both kvnos.
     */
    public synchronized int rekey(String principal, String newPassword) {
        try {
            IdentityBackend backend = kdc.getIdentityService();
            KrbIdentity identity = backend.getIdentity(principal);
            if (identity == null) {
                throw new IllegalArgumentException("no principal " + principal);
            }
            int kvno = identity.getKeyVersion() + 1;
            for (String enctype : ENCTYPES) {
                EncryptionKey key = EncryptionHandler.string2Key(principal, newPassword, TestKeytab.enctype(enctype));
                key.setKvno(kvno);
                identity.addKey(key);
            }
            identity.setKeyVersion(kvno);
            backend.updateIdentity(identity);
            return kvno;
        } catch (KrbException e) {
            throw new IllegalStateException("cannot re-key " + principal, e);
        }
    }

    /** The kvno the KDC currently uses for {@code principal}. */
    public synchronized int kvno(String principal) {
        try {
            KrbIdentity identity = kdc.getIdentityService().getIdentity(principal);
            EncryptionKey key = identity.getKey(EncryptionType.AES256_CTS_HMAC_SHA1_96);
            return key != null ? key.getKvno() : identity.getKeyVersion();
        } catch (KrbException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void stop() {
        try {
            kdc.stop();
        } catch (KrbException | RuntimeException e) {
            // Shutting down anyway.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
