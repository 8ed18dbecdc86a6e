package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.PacBuilder;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5a on PACs built in the test: what is read, and every way a hostile or tampered PAC is refused. */
class PacDecoderTest {

    static final Instant AUTH = Instant.parse("2030-03-01T12:00:00Z");
    static final String D = PacBuilder.DOMAIN_SID;
    static final EncryptionKey AES256 = TestKeytab.key(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD,
            "aes256-cts-hmac-sha1-96");
    static final EncryptionKey AES128 = TestKeytab.key(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD,
            "aes128-cts-hmac-sha1-96");

    @TempDir
    static Path dir;
    static KeytabKeys keys;

    @BeforeAll
    static void writeKeytab() {
        Path keytab = new TestKeytab().add(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD, 1,
                "aes256-cts-hmac-sha1-96").write(dir.resolve("service.keytab"));
        keys = new KeytabKeys(List.of(keytab), Clock.fixed(AUTH, ZoneOffset.UTC));
    }

    static Pac verify(byte[] pac) throws KerberosVerificationException {
        return verify(pac, AES256);
    }

    static Pac verify(byte[] pac, EncryptionKey key) throws KerberosVerificationException {
        return PacDecoder.verify(pac, key.getKeyType().getValue(), key.getKeyData(), "alice", "alice@EXAMPLE.TEST",
                AUTH);
    }

    static void assertRefused(byte[] pac, Reason reason, String description) {
        assertThatThrownBy(() -> verify(pac)).isInstanceOfSatisfying(KerberosVerificationException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.description()).isEqualTo(description);
        });
    }

    @Test
    void verifyWhenSignedByServiceKeyThenSidsGroupsAndUpn() throws Exception {
        Pac pac = verify(new PacBuilder().build(AES256, AUTH));

        assertThat(pac).isEqualTo(new Pac(D + "-1104", List.of(D + "-513", D + "-1105", D + "-1106"),
                "alice@example.test", "alice"));
    }

    @Test
    void verifyWhenAes128KeyThenHmacSha196Aes128Verifies() throws Exception {
        assertThat(verify(new PacBuilder().build(AES128, AUTH), AES128).userSid()).isEqualTo(D + "-1104");
    }

    @Test
    void verifyWhenExtraAndResourceSidsThenAllGroupsInPacOrderOnce() throws Exception {
        String resource = "S-1-5-21-9-8-7";
        byte[] bytes = new PacBuilder().user(1104, 1105).groups(1105L, 1107L)
                .extraSids("S-1-18-1", "S-1-5-21-4-5-6-1200").resourceGroups(resource, 3000L, 3001L).build(AES256, AUTH);

        assertThat(verify(bytes).groupSids()).containsExactly(D + "-1105", D + "-1107", "S-1-18-1",
                "S-1-5-21-4-5-6-1200", resource + "-3000", resource + "-3001");
    }

    @Test
    void verifyWhenNoGroupsNoUpnNoKdcSignatureThenPrimaryGroupOnly() throws Exception {
        Pac pac = verify(new PacBuilder().groups().upn(null).withoutKdcSignature().build(AES256, AUTH));

        assertThat(pac.groupSids()).containsExactly(D + "-513");
        assertThat(pac.upn()).isNull();
    }

    @Test
    void verifyWhenLogonNameDiffersInCaseOnlyThenAccepted() throws Exception {
        assertThat(verify(new PacBuilder().logonName("Alice").build(AES256, AUTH)).logonName()).isEqualTo("Alice");
    }

    // --- refusals -----------------------------------------------------------------------------------

    @Test
    void verifyWhenLogonInfoTamperedThenSignatureInvalid() {
        byte[] pac = new PacBuilder().build(AES256, AUTH);
        // The last byte of LOGON_INFO's fixed part that holds the user RID region: any byte of the PAC will do.
        pac[PacBuilder.offsetOf(pac, 1) + 16 + 4 + 48 + 48 + 4] ^= 0x01;

        assertRefused(pac, Reason.PAC_SIGNATURE, "PAC signature invalid");
    }

    @Test
    void verifyWhenSignatureFlippedThenSignatureInvalid() {
        byte[] pac = new PacBuilder().build(AES256, AUTH);
        pac[PacBuilder.offsetOf(pac, 6) + 4] ^= 0x01;

        assertRefused(pac, Reason.PAC_SIGNATURE, "PAC signature invalid");
    }

    @Test
    void verifyWhenSignedWithAnotherKeyThenSignatureInvalid() {
        EncryptionKey other = TestKeytab.key(ApReqVerifierTest.SERVICE, "another-password", "aes256-cts-hmac-sha1-96");

        assertRefused(new PacBuilder().build(other, AUTH), Reason.PAC_SIGNATURE, "PAC signature invalid");
    }

    @Test
    void verifyWhenChecksumTypeDoesNotFitTheEnctypeThenSignatureInvalid() {
        byte[] pac = new PacBuilder().checksumType(CheckSumType.HMAC_MD5_ARCFOUR).build(AES256, AUTH);

        assertRefused(pac, Reason.PAC_SIGNATURE, "PAC signature invalid");
    }

    @Test
    void verifyWhenLogonNameIsAnotherUserThenClientMismatch() {
        assertRefused(new PacBuilder().logonName("bob").build(AES256, AUTH), Reason.PAC_INVALID,
                "PAC names another client than the ticket");
    }

    @Test
    void verifyWhenClientTimeIsNotTheAuthtimeThenClientMismatch() {
        assertRefused(new PacBuilder().clientTime(AUTH.minusSeconds(60)).build(AES256, AUTH), Reason.PAC_INVALID,
                "PAC names another client than the ticket");
    }

    @Test
    void verifyWhenTruncatedAnywhereThenMalformedOrSignatureInvalidNeverAnotherException() {
        byte[] pac = new PacBuilder().extraSids("S-1-18-1").resourceGroups("S-1-5-21-9-8-7", 3000L).build(AES256, AUTH);
        for (int length = 0; length < pac.length; length++) {
            byte[] cut = Arrays.copyOf(pac, length);
            assertThatThrownBy(() -> verify(cut)).as("truncated to %d", length)
                    .isInstanceOfSatisfying(KerberosVerificationException.class,
                            e -> assertThat(e.reason()).isIn(Reason.PAC_INVALID, Reason.PAC_SIGNATURE));
        }
    }

    @Test
    void decodeWhenAnyByteOfTheHeaderOrLogonInfoIsChangedThenOnlyKerbexRefusals() {
        byte[] pac = new PacBuilder().extraSids("S-1-18-1").resourceGroups("S-1-5-21-9-8-7", 3000L).build(AES256, AUTH);
        for (int i = 0; i < pac.length; i++) {
            for (int value : new int[] {0x00, 0xff, 0x7f, 0x80}) {
                byte[] changed = pac.clone();
                changed[i] = (byte) value;
                try {
                    PacDecoder.decodeUnverified(changed);
                } catch (KerberosVerificationException e) {
                    assertThat(e.reason()).isEqualTo(Reason.PAC_INVALID);
                }
            }
        }
    }

    @Test
    void decodeWhenNoLogonInfoAsMitKdcsIssueThenNoSidsAndNoGroups() throws Exception {
        // MIT krb5 1.20+ puts a PAC without LOGON_INFO into its tickets: valid, and it proves no directory identity.
        byte[] pac = le32(new PacBuilder().build(AES256, AUTH), 8, 18); // LOGON_INFO's entry becomes PAC_ATTRIBUTES_INFO

        Pac decoded = PacDecoder.decodeUnverified(pac);

        assertThat(decoded.userSid()).isNull();
        assertThat(decoded.groupSids()).isEmpty();
        assertThat(decoded.logonName()).isEqualTo("alice");
    }

    @Test
    void verifyWhenHostileCountsAndOffsetsThenMalformed() {
        byte[] pac = new PacBuilder().build(AES256, AUTH);
        List<UnaryOperator<byte[]>> edits = List.of(
                p -> le32(p, 0, 0x7fffffff),                       // cBuffers
                p -> le32(p, 0, 0),
                p -> le32(p, 4, 1),                                // Version
                p -> le32(p, 8 + 8, 0x7ffffff0),                   // first buffer's offset
                p -> le32(p, 8 + 12, -1),                          // offset's high half
                p -> le32(p, 8 + 4, 0x7fffffff),                   // first buffer's size
                p -> le32(p, 8, 10),                               // LOGON_INFO becomes a second CLIENT_INFO
                p -> le32(p, PacBuilder.offsetOf(p, 1) + 8, 0x7fffffff),     // LOGON_INFO object length
                p -> le32(p, PacBuilder.offsetOf(p, 1) + 16 + 4 + 48 + 48 + 4 + 4 + 4, 0x40000000), // GroupCount
                p -> { p[PacBuilder.offsetOf(p, 10) + 8] = (byte) 0xff; p[PacBuilder.offsetOf(p, 10) + 9] = 0x7f; return p; });
        for (UnaryOperator<byte[]> edit : edits) {
            byte[] changed = edit.apply(pac.clone());
            assertThatThrownBy(() -> PacDecoder.decodeUnverified(changed))
                    .isInstanceOfSatisfying(KerberosVerificationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.PAC_INVALID);
                        assertThat(e.description()).isEqualTo("PAC malformed");
                    });
        }
    }

    // --- through the AP-REQ verifier -----------------------------------------------------------------

    @Test
    void apReqWhenTicketCarriesPacThenIdentityHasIt() throws Exception {
        ApReqVerifier verifier = new ApReqVerifier(keys, new InMemoryReplayCache(),
                Clock.fixed(AUTH, ZoneOffset.UTC));

        KerberosIdentity id = verifier.verify(TicketForge.forService(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD).at(AUTH).pac(new PacBuilder()).apReq(),
                ApReqVerifierTest.SETTINGS);

        assertThat(id.pac().userSid()).isEqualTo(D + "-1104");
        assertThat(id.pac().groupSids()).containsExactly(D + "-513", D + "-1105", D + "-1106");
    }

    @Test
    void apReqWhenTicketHasNoPacThenNoPac() throws Exception {
        ApReqVerifier verifier = new ApReqVerifier(keys, new InMemoryReplayCache(),
                Clock.fixed(AUTH, ZoneOffset.UTC));

        assertThat(verifier.verify(TicketForge.forService(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD).at(AUTH).apReq(), ApReqVerifierTest.SETTINGS).pac()).isNull();
    }

    @Test
    void apReqWhenPacSignedWithAnotherKeyThenPacSignatureInvalid() {
        ApReqVerifier verifier = new ApReqVerifier(keys, new InMemoryReplayCache(),
                Clock.fixed(AUTH, ZoneOffset.UTC));
        PacBuilder forged = new PacBuilder() {
            @Override
            public byte[] build(EncryptionKey serviceKey, Instant authTime) {
                return super.build(TestKeytab.key(ApReqVerifierTest.SERVICE, "forger", "aes256-cts-hmac-sha1-96"),
                        authTime);
            }
        };

        assertThatThrownBy(() -> verifier.verify(TicketForge.forService(ApReqVerifierTest.SERVICE, ApReqVerifierTest.PASSWORD).at(AUTH).pac(forged).apReq(),
                ApReqVerifierTest.SETTINGS)).isInstanceOfSatisfying(KerberosVerificationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PAC_SIGNATURE);
                    assertThat(e.description()).isEqualTo("PAC signature invalid");
                });
    }

    private static byte[] le32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >> (8 * i));
        }
        return b;
    }
}
