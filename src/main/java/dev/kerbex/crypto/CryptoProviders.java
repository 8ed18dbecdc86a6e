package dev.kerbex.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.Arrays;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Chooses the JCA provider that does Kerbex's cryptography (issue 9): the Amazon Corretto Crypto Provider
 * (AWS-LC, native code) first in the provider list where it runs, the JDK's own providers otherwise. ES256 with
 * the JDK's SunEC costs 0.5-1 ms per signature on JDK 17; with ACCP about 30 us. Whatever is not implemented by
 * ACCP (Kerby's {@code AES/CTS/NoPadding}, for one) is still served by the JDK's providers behind it.
 *
 * <p>Installed by {@code KerbexMain} before anything else runs, and again (idempotently) at Quarkus start, which
 * is the first hook of {@code @QuarkusTest} and dev mode.
 */
public final class CryptoProviders {
    private static final Logger LOG = Logger.getLogger(CryptoProviders.class);
    /** The setting, also {@code KERBEX_CRYPTO_PROVIDER}: {@code accp} (the default) or {@code jdk}. */
    public static final String SETTING = "kerbex.crypto.provider";
    static final String ACCP = "accp";
    static final String JDK = "jdk";

    private static volatile String active;

    private CryptoProviders() {
    }

    /**
     * Makes {@code choice} ({@code accp} or {@code jdk}, null meaning {@code accp}) the provider setup of this JVM
     * and returns the name of the provider that now does ES256 ({@code AmazonCorrettoCryptoProvider} or {@code SunEC}). {@code jdk} also removes an ACCP installed
     * earlier, so a test profile can prove the fallback in the same JVM.
     *
     * @throws IllegalArgumentException for any other value: a typo must stop the start, not silently pick one
     */
    public static synchronized String install(String choice) {
        String wanted = choice == null || choice.isBlank() ? ACCP : choice.strip().toLowerCase(Locale.ROOT);
        if (!wanted.equals(ACCP) && !wanted.equals(JDK)) {
            throw new IllegalArgumentException(SETTING + " must be accp or jdk, not " + choice);
        }
        if (wanted.equals(JDK)) {
            Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        } else {
            installAccp();
        }
        String name = es256Provider();
        if (!name.equals(active)) {
            LOG.infof("cryptography: %s signs and verifies (%s=%s; JCA providers %s)", name, SETTING, wanted,
                    Arrays.stream(Security.getProviders()).map(Provider::getName).toList());
        }
        active = name;
        return name;
    }

    /** The name {@link #install} returned last, or null before it ran. */
    public static String active() {
        return active;
    }

    private static void installAccp() {
        String unsupported = unsupportedPlatform();
        if (unsupported != null) {
            LOG.infof("cryptography: ACCP does not run on %s; the JDK's providers are used", unsupported);
            return;
        }
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                LOG.warnf("cryptography: ACCP could not load its native library (%s); the JDK's providers are used",
                        accp.getLoadingError().toString());
                return;
            }
            accp.assertHealthy();
            if (Security.getProviders()[0] != accp) {
                Security.removeProvider(accp.getName());
                Security.insertProviderAt(accp, 1);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf("cryptography: ACCP is unusable (%s); the JDK's providers are used", e.toString());
        }
    }

    private static String es256Provider() {
        try {
            return Signature.getInstance("SHA256withECDSA").getProvider().getName();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no JCA provider offers SHA256withECDSA", e);
        }
    }

    /** ACCP ships native code for Linux on x86-64 and aarch64 only; null when this is one of those. */
    static String unsupportedPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean supportedArch = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
        return linux && supportedArch ? null : os + "/" + arch;
    }
}
