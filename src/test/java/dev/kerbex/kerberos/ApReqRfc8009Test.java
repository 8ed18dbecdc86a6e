package dev.kerbex.kerberos;

import static dev.kerbex.kerberos.ApReqVerifierTest.NOW;
import static dev.kerbex.kerberos.ApReqVerifierTest.PASSWORD;
import static dev.kerbex.kerberos.ApReqVerifierTest.SERVICE;
import static dev.kerbex.kerberos.ApReqVerifierTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.PacBuilder;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5 verification of AP-REQs whose ticket and session key are of the RFC 8009 enctypes (19, 20). */
class ApReqRfc8009Test {
    /** A tenant that lists the RFC 8009 pair beside SPEC §5's default aes-sha1 pair. */
    static final VerificationSettings SETTINGS = ApReqVerifierTest.SETTINGS.withEnctypes(union(
            VerificationSettings.DEFAULT_ENCTYPES, VerificationSettings.RFC8009_ENCTYPES));


    static final String AES256_SHA2 = "aes256-cts-hmac-sha384-192";
    static final String AES128_SHA2 = "aes128-cts-hmac-sha256-128";

    @TempDir
    static Path dir;
    static KeytabKeys keys;

    ApReqVerifier verifier;

    @BeforeAll
    static void writeKeytab() {
        Path keytab = new TestKeytab().add(SERVICE, PASSWORD, 1, AES256_SHA2, AES128_SHA2)
                .write(dir.resolve("sha2.keytab"));
        keys = new KeytabKeys(List.of(keytab), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @BeforeEach
    void newVerifier() {
        verifier = new ApReqVerifier(keys, new InMemoryReplayCache(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static TicketForge forge(String enctype) {
        return TicketForge.forService(SERVICE, PASSWORD).at(NOW).enctype(enctype);
    }

    @ParameterizedTest
    @ValueSource(strings = {AES256_SHA2, AES128_SHA2})
    void verifyWhenRfc8009TicketAndSessionKeyThenAliceWithThatEnctype(String enctype) throws Exception {
        KerberosIdentity identity = verifier.verify(forge(enctype).gss(), SETTINGS);

        assertThat(identity.principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(identity.enctype()).isEqualTo(enctype);
    }

    @Test
    void verifyWhenRfc8009TicketCarriesAesSha1SessionKeyThenAccepted() throws Exception {
        byte[] token = forge(AES256_SHA2).sessionEnctype("aes128-cts-hmac-sha1-96").apReq();

        assertThat(verifier.verify(token, SETTINGS).enctype()).isEqualTo(AES256_SHA2);
    }

    @ParameterizedTest
    @ValueSource(strings = {AES256_SHA2, AES128_SHA2})
    void verifyWhenRfc8009TicketCarriesPacThenItsSignatureVerifiesAndGroupsAreRead(String enctype) throws Exception {
        KerberosIdentity identity = verifier.verify(forge(enctype).pac(new PacBuilder()).gss(), SETTINGS);

        assertThat(identity.pac()).isNotNull();
        assertThat(identity.pac().groupSids()).isNotEmpty();
    }

    @Test
    void verifyWhenRfc8009TicketCipherTamperedThenDoesNotDecrypt() {
        byte[] token = TicketForge.gssWrap(TicketForge.tamperTicketCipher(forge(AES256_SHA2).apReq()));

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.DECRYPT_FAILED, "ticket does not decrypt with the service key");
    }

    @Test
    void verifyWhenRfc8009AuthenticatorTamperedThenDoesNotDecrypt() {
        byte[] token = TicketForge.gssWrap(TicketForge.tamperAuthenticatorCipher(forge(AES128_SHA2).apReq()));

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.DECRYPT_FAILED, "authenticator does not decrypt with the session key");
    }

    @Test
    void verifyWhenRfc8009TicketSealedWithAnotherPasswordThenDoesNotDecrypt() {
        byte[] token = forge(AES256_SHA2).servicePassword("not-the-keytab-password").gss();

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.DECRYPT_FAILED, "ticket does not decrypt with the service key");
    }

    @Test
    void verifyWhenTenantAllowsOnlyAesSha1ThenRfc8009TicketIsWeakEnctype() {
        VerificationSettings sha1Only = SETTINGS.withEnctypes(Set.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96"));

        assertRejected(() -> verifier.verify(forge(AES256_SHA2).gss(), sha1Only),
                Reason.WEAK_ENCTYPE, "enctype aes256-cts-hmac-sha384-192 is not allowed");
    }

    @Test
    void verifyWhenTenantAllowsOnlyAes256Sha2ThenAes128Sha2SessionKeyIsWeakEnctype() {
        VerificationSettings only20 = SETTINGS.withEnctypes(Set.of("aes256-sha2"));

        assertRejected(() -> verifier.verify(forge(AES256_SHA2).sessionEnctype(AES128_SHA2).gss(), only20),
                Reason.WEAK_ENCTYPE, "enctype aes128-cts-hmac-sha256-128 is not allowed");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void verifyWhenTheTenantListsNoEnctypesThenRfc8009TicketIsWeakEnctypeAsSpecDefaultIsTheAesSha1Pair() {
        assertRejected(() -> verifier.verify(forge(AES256_SHA2).gss(), ApReqVerifierTest.SETTINGS),
                Reason.WEAK_ENCTYPE, "enctype aes256-cts-hmac-sha384-192 is not allowed");
    }
}
