package dev.kerbex.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made at run time with the JDK's {@code keytool} (no private key is checked in): a test CA, the
 * server's certificate for {@code localhost}/127.0.0.1 signed by it, a client certificate signed by it (SAN DNS
 * {@link #CLIENT_DNS}) and a self-signed client certificate. EC P-256 keys, valid two days.
 */
public final class TestCertificates {
    public static final String PASSWORD = "kerbex-test-only";
    public static final String CLIENT_DNS = "client.mtls.test";
    private static final String MADE = "kerbextest.pki.dir"; // not under kerbex.*, which the config mapping owns
    private static TestCertificates instance;

    public final Path dir;
    public final Path caPem;
    public final Path serverP12;
    public final Path clientP12;
    public final Path selfSignedP12;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverP12 = dir.resolve("server.p12");
        this.clientP12 = dir.resolve("client.p12");
        this.selfSignedP12 = dir.resolve("self-signed.p12");
    }

    public static synchronized TestCertificates get() {
        if (instance == null) {
            // Quarkus tests load this class again in their own class loader: the system property shares one PKI.
            String made = System.getProperty(MADE);
            if (made != null && Files.exists(Path.of(made, "self-signed.p12"))) {
                instance = new TestCertificates(Path.of(made));
                return instance;
            }
            try {
                Path dir = Files.createTempDirectory("kerbex-pki");
                TestCertificates c = new TestCertificates(dir);
                c.make();
                System.setProperty(MADE, dir.toString());
                instance = c;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    private void make() throws IOException {
        Path ca = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=Kerbex Test CA", "-ext", "bc:c", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        signed(ca, serverP12, "server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth");
        signed(ca, clientP12, "client", "CN=mtls-client, O=Kerbex Test", "san=dns:" + CLIENT_DNS, "eku=clientAuth");
        keytool("-genkeypair", "-alias", "client", "-dname", "CN=self-signed-client", "-keystore", selfSignedP12.toString());
    }

    /** A key pair in {@code store} whose certificate {@code ca} signs; the CA is in the store too, as trusted. */
    private void signed(Path ca, Path store, String alias, String dname, String san, String eku) throws IOException {
        Path csr = dir.resolve(alias + ".csr");
        Path cert = dir.resolve(alias + ".pem");
        keytool("-genkeypair", "-alias", alias, "-dname", dname, "-keystore", store.toString());
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                "-outfile", cert.toString(), "-ext", san, "-ext", eku);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString());
        keytool("-importcert", "-alias", alias, "-file", cert.toString(), "-keystore", store.toString());
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        if (List.of(args).contains("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // a prompt gets end of input, never a wait
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            p.destroy();
        }
    }

    /**
     * A public JWK of an EC certificate's key with the certificate in {@code x5c}, as a client registers it for
     * {@code self_signed_tls_client_auth} (built by hand: Nimbus's {@code JWK.parse(X509Certificate)} needs
     * BouncyCastle, which is not on the classpath).
     */
    public static java.util.Map<String, Object> jwk(X509Certificate certificate) {
        try {
            java.util.Map<String, Object> jwk = new java.util.LinkedHashMap<>(new com.nimbusds.jose.jwk.ECKey.Builder(
                    com.nimbusds.jose.jwk.Curve.P_256, (java.security.interfaces.ECPublicKey) certificate.getPublicKey())
                    .build().toJSONObject());
            jwk.put("x5c", List.of(java.util.Base64.getEncoder().encodeToString(certificate.getEncoded())));
            return jwk;
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate of the key entry {@code client} (or {@code server}) of a store. */
    public X509Certificate certificate(Path store, String alias) {
        try {
            return (X509Certificate) load(store).getCertificateChain(alias)[0];
        } catch (java.security.KeyStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that presents {@code store}'s key (null: none) and trusts the test CA only. */
    public SSLContext context(Path store) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(caPem)) {
                trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (store != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(store), PASSWORD.toCharArray());
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path store) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
