package dev.kerbex.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Which provider does what under each setting. The providers are JVM-wide, so the class leaves the setting of the
 * test run ({@code kerbex.crypto.provider}, as surefire's executions set it) in place when it is done.
 */
class CryptoProvidersTest {
    private static final String ACCP = "AmazonCorrettoCryptoProvider";

    @AfterAll
    static void restoreRunSetting() {
        CryptoProviders.install(System.getProperty(CryptoProviders.SETTING));
    }

    @Test
    void installWhenAccpThenJwtKeysDigestsAndRandomGoThroughItAndTheRestToTheJdk() throws Exception {
        assertThat(CryptoProviders.install("accp")).isEqualTo(ACCP);

        // jose4j ES256 (sign and verify), EC keys and their decoding
        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(ACCP);
        assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName()).isEqualTo(ACCP);
        assertThat(KeyFactory.getInstance("EC").getProvider().getName()).isEqualTo(ACCP);
        // The key encryption key is AES-GCM; digests and HMACs under their standard names
        assertThat(MessageDigest.getInstance("SHA-1").getProvider().getName()).isEqualTo(ACCP);
        assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo(ACCP);
        assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo(ACCP);
        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(ACCP);
        assertThat(new SecureRandom().getProvider().getName()).isEqualTo(ACCP);
        // What ACCP lacks is still served by the JDK behind it: Kerby's AES is AES/CTS (RFC 3962), and Kerby's
        // HMAC-SHA1-96 is its own HMAC over MessageDigest "SHA1", a name only SUN knows.
        assertThat(Cipher.getInstance("AES/CTS/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(MessageDigest.getInstance("SHA1").getProvider().getName()).isEqualTo("SUN");
        assertThat(CryptoProviders.active()).isEqualTo(ACCP);
    }

    @Test
    void installWhenJdkThenAccpRemovedAndSunEcSigns() throws Exception {
        CryptoProviders.install("accp");

        assertThat(CryptoProviders.install("JDK")).isEqualTo("SunEC");

        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo("SunEC");
        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(java.security.Security.getProvider(ACCP)).isNull();
    }

    @Test
    void installWhenUnsetThenAccp() {
        assertThat(CryptoProviders.install(null)).isEqualTo(ACCP);
        assertThat(CryptoProviders.install(" ")).isEqualTo(ACCP);
    }

    @Test
    void installWhenUnknownValueThenRefusedNamingTheSetting() {
        assertThatThrownBy(() -> CryptoProviders.install("bouncycastle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kerbex.crypto.provider must be accp or jdk, not bouncycastle");
    }

    @Test
    void unsupportedPlatformWhenThisLinuxX64ThenNone() {
        assertThat(CryptoProviders.unsupportedPlatform()).isNull();
    }
}
