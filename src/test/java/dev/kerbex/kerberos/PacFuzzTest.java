package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kerbex.testing.TestKeytab;
import java.time.Instant;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;

/**
 * Fuzzing of the PAC decoder (SPEC §5a, [MS-PAC]): every size, offset and count in a PAC is hostile input. The
 * contract: only {@link KerberosVerificationException} with a PAC reason comes out, never an unchecked exception, a
 * StackOverflowError or an OutOfMemoryError. Seeds ({@code PacFuzzTestInputs/<method>/}) are PACs as
 * {@link dev.kerbex.testing.PacBuilder} writes them: plain, with extra SIDs and resource groups, without UPN.
 */
class PacFuzzTest {

    private static final Instant AUTH = Instant.parse("2030-03-01T12:00:00Z");
    private static final EncryptionKey KEY = TestKeytab.key(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD,
            "aes256-cts-hmac-sha1-96");

    /** The buffer table, LOGON_INFO's NDR, CLIENT_INFO and UPN_DNS_INFO, without the signature in the way. */
    @FuzzTest(maxDuration = "5m")
    void pacDecode(byte[] pac) {
        try {
            Pac decoded = PacDecoder.decodeUnverified(pac);
            assertThat(decoded.userSid()).startsWith("S-1-");
        } catch (KerberosVerificationException e) {
            assertThat(e.reason()).isEqualTo(KerberosVerificationException.Reason.PAC_INVALID);
            assertThat(e.description()).isEqualTo(PacDecoder.MALFORMED);
        }
    }

    /** The whole check as the AP-REQ verifier runs it: buffers, signature, client, logon info. */
    @FuzzTest(maxDuration = "5m")
    void pacVerify(byte[] pac) {
        try {
            PacDecoder.verify(pac, 18, KEY.getKeyData(), "alice", "alice@EXAMPLE.TEST", AUTH);
        } catch (KerberosVerificationException e) {
            assertThat(e.reason()).isIn(KerberosVerificationException.Reason.PAC_INVALID,
                    KerberosVerificationException.Reason.PAC_SIGNATURE);
            assertThat(e.description()).isIn(PacDecoder.MALFORMED, PacDecoder.SIGNATURE_INVALID,
                    PacDecoder.CLIENT_MISMATCH);
        }
    }
}
