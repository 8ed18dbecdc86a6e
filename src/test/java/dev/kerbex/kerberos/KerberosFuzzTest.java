package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsRep;

/**
 * Issue 10 fuzzing of the Kerberos input paths (SPEC §5: Kerby's decoder is not hardened, so Kerbex bounds every byte
 * before it). The contract of each target: only {@link KerberosVerificationException} (forward path) or
 * {@link S4uException} (inverse path) comes out; never an unchecked exception, a StackOverflowError or an
 * OutOfMemoryError. Seeds: {@code src/test/resources/dev/kerbex/kerberos/KerberosFuzzTestInputs/<method>/}.
 */
class KerberosFuzzTest {

    private static final Instant NOW = Instant.parse("2030-03-01T12:00:00Z");
    private static final VerificationSettings SETTINGS = ApReqVerifierTest.SETTINGS;
    private static final ApReqVerifier VERIFIER;
    private static final EncryptionKey SESSION_KEY = new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96,
            new byte[32]);
    private static final Method DECRYPT_PART;

    static {
        try {
            Path dir = Files.createTempDirectory("kerbex-fuzz");
            dir.toFile().deleteOnExit();
            Path keytab = new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                    .write(dir.resolve("service.keytab"));
            keytab.toFile().deleteOnExit();
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            VERIFIER = new ApReqVerifier(new KeytabKeys(List.of(keytab), clock), new InMemoryReplayCache(), clock);
            // The inverse path's decode of a KDC reply is private to TgsExchange; the test calls that very method.
            DECRYPT_PART = TgsExchange.class.getDeclaredMethod("decryptPart", String.class, TgsRep.class,
                    EncryptionKey.class);
            DECRYPT_PART.setAccessible(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole forward-path entry: size bound, DER walk, framing (raw, GSS krb5, SPNEGO), Kerby's decode. */
    @FuzzTest(maxDuration = "5m")
    void apReqVerify(byte[] token) {
        try {
            VERIFIER.verify(token, SETTINGS);
        } catch (KerberosVerificationException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.description()).isNotBlank();
        }
    }

    /** The DER walker and the GSS-API/SPNEGO unwrapping on their own, as the verifier chains them. */
    @FuzzTest(maxDuration = "5m")
    void derThenFraming(byte[] token) {
        try {
            Der.check(token);
            byte[] apReq = TokenFraming.apReq(token);
            assertThat(apReq[0] & 0xff).isEqualTo(TokenFraming.AP_REQ_TAG);
            Der.checkPrefix(apReq);
        } catch (KerberosVerificationException e) {
            assertThat(e.description()).isIn(Der.MALFORMED, Der.TOO_DEEP, TokenFraming.NO_KRB5_MECH_TOKEN);
        }
    }

    /**
     * The inverse path's decrypted KDC reply (EncKdcReplyPart under the DER bounds): the fuzz input is the plaintext,
     * encrypted with a fixed session key into a TGS-REP, so the real decryptPart sees it; then every accessor
     * TgsExchange and its callers use on the result.
     */
    @FuzzTest(maxDuration = "5m")
    void encKdcReplyPart(byte[] plain) throws Throwable {
        TgsRep rep = new TgsRep();
        try {
            rep.setEncryptedEncPart(EncryptionHandler.encrypt(plain, SESSION_KEY, KeyUsage.TGS_REP_ENCPART_SESSKEY));
        } catch (KrbException e) {
            throw new IllegalStateException("encrypting the fuzz input", e);
        }
        EncKdcReplyPart part;
        try {
            part = (EncKdcReplyPart) DECRYPT_PART.invoke(null, "fuzz", rep, SESSION_KEY);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof S4uException s4u) {
                assertThat(s4u.kind()).isEqualTo(S4uException.Kind.OTHER);
                return;
            }
            throw e.getCause();
        }
        part.nonce();
        part.key();
        part.flags();
        part.authTime();
        part.startTime();
        part.endTime();
        part.renewTill();
    }
}
