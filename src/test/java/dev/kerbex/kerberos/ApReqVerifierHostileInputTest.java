package dev.kerbex.kerberos;

import static dev.kerbex.kerberos.ApReqVerifierTest.assertRejected;
import static dev.kerbex.kerberos.ApReqVerifierTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5: bounded input, bounded DER nesting, and no parser exception escaping as anything else. */
class ApReqVerifierHostileInputTest {

    static final Instant NOW = ApReqVerifierTest.NOW;
    static final VerificationSettings SETTINGS = ApReqVerifierTest.SETTINGS;

    @TempDir
    static Path dir;
    static ApReqVerifier verifier;

    @BeforeAll
    static void verifier() {
        Path keytab = new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("service.keytab"));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        verifier = new ApReqVerifier(new KeytabKeys(List.of(keytab), clock), new InMemoryReplayCache(), clock);
    }

    static TicketForge forge() {
        return TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD).at(NOW);
    }

    @Test
    void verifyWhenTokenExceeds16KiBThenTooLarge() {
        byte[] token = new byte[16 * 1024 + 1];
        token[0] = 0x60;

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.TOO_LARGE, "Kerberos token exceeds 16384 bytes");
    }

    @Test
    void verifyWhenTokenOf16KiBJunkThenMalformedNotTooLarge() {
        byte[] token = new byte[16 * 1024];

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    /**
     * Found by KerberosFuzzTest (its seed {@code apReqVerify/sname-component-not-a-string}): a ticket whose server name
     * has an element that is no KerberosString, which Kerby decodes as a null component; that was an NPE (a 500).
     */
    @Test
    void verifyWhenServerNameHasAComponentThatIsNoStringThenMalformed() throws Exception {
        byte[] token;
        try (var in = getClass().getResourceAsStream("KerberosFuzzTestInputs/apReqVerify/sname-component-not-a-string")) {
            token = in.readAllBytes();
        }

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenEmptyThenMalformed() {
        assertRejected(() -> verifier.verify(new byte[0], SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenTruncatedAtAnyLengthThenMalformed() {
        for (byte[] token : List.of(forge().apReq(), forge().gss(), forge().spnego())) {
            for (int length = 1; length < token.length; length++) {
                byte[] truncated = Arrays.copyOf(token, length);
                assertRejected(() -> verifier.verify(truncated, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
            }
        }
    }

    @Test
    void verifyWhenTrailingBytesThenMalformed() {
        byte[] token = concat(forge().gss(), new byte[] {0x00});

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenDeeplyNestedDerThenMalformedWithoutStackOverflow() {
        byte[] token = nested(3000);
        assertThat(token.length).isLessThanOrEqualTo(16 * 1024);

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "DER nesting too deep");
    }

    @Test
    void checkWhenTenThousandNestedSequencesThenTooDeep() {
        byte[] der = nested(10_000);

        assertRejected(() -> Der.check(der), Reason.MALFORMED, "DER nesting too deep");
    }

    @Test
    void verifyWhenTenThousandIndefiniteLengthSequenceHeadersThenRejectedWithoutStackOverflow() {
        byte[] headers = new byte[20_000];
        for (int i = 0; i < headers.length; i += 2) {
            headers[i] = 0x30;
            headers[i + 1] = (byte) 0x80;
        }
        byte[] fitting = Arrays.copyOf(headers, 16_000);

        assertRejected(() -> verifier.verify(headers, SETTINGS), Reason.TOO_LARGE, "Kerberos token exceeds 16384 bytes");
        assertRejected(() -> verifier.verify(fitting, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenDeepNestingHiddenInSpnegoMechTokenThenTooDeep() {
        byte[] token = TicketForge.spnegoWrap(nested(1000));

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "DER nesting too deep");
    }

    @Test
    void verifyWhenNestingAt32ThenPassesTheWalker() throws Exception {
        Der.check(nested(31));
        assertRejected(() -> Der.check(nested(33)), Reason.MALFORMED, "DER nesting too deep");
    }

    @Test
    void verifyWhenApReqWithNestedGarbageInsideThenMalformed() {
        // An AP-REQ tag around well-formed but meaningless DER reaches Kerby, which must not escape.
        byte[] token = TicketForge.tlv(0x6e, nested(20));

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenRandomBytesThenMalformed() {
        for (int seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            byte[] token = new byte[1 + random.nextInt(seed % 10 == 0 ? 4000 : 300)];
            random.nextBytes(token);
            if (seed % 3 == 0) {
                // Start like a real token so more of the input gets past the first byte.
                token[0] = (byte) List.of(0x60, 0x6e, 0xa0).get(seed % 9 / 3).intValue();
            }
            byte[] input = token;
            assertRejected(() -> verifier.verify(input, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
        }
    }

    @Test
    void verifyWhenRandomWellFormedDerThenOnlyVerificationExceptions() {
        for (int seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            byte[] inner = randomDer(random, 0);
            byte[] token = switch (seed % 3) {
                case 0 -> TicketForge.tlv(0x6e, inner);
                case 1 -> TicketForge.gssWrap(TicketForge.tlv(0x6e, inner));
                default -> TicketForge.spnegoWrap(TicketForge.gssWrap(TicketForge.tlv(0x6e, inner)));
            };
            expectOnlyVerificationException(token, seed);
        }
    }

    @Test
    void verifyWhenValidTokenMutatedThenOnlyVerificationExceptions() {
        byte[] original = forge().spnego();
        for (int seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            byte[] token = original.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                token[random.nextInt(token.length)] = (byte) random.nextInt(256);
            }
            expectOnlyVerificationException(token, seed);
        }
    }

    @Test
    void verifyWhenSpnegoMechTokenIsNotKerberosThenNoKerberosMechToken() {
        byte[] ntlm = "NTLMSSP\0\1\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

        assertRejected(() -> verifier.verify(TicketForge.spnegoWrap(ntlm), SETTINGS),
                Reason.MALFORMED, "SPNEGO token carries no Kerberos mechanism token");
    }

    @Test
    void verifyWhenSpnegoMechTokenForAnotherMechanismThenNoKerberosMechToken() {
        byte[] ntlmOid = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0a};
        byte[] otherMech = TicketForge.tlv(0x60, concat(ntlmOid, new byte[] {0x04, 0x00}));

        assertRejected(() -> verifier.verify(TicketForge.spnegoWrap(otherMech), SETTINGS),
                Reason.MALFORMED, "SPNEGO token carries no Kerberos mechanism token");
    }

    @Test
    void verifyWhenNegTokenInitWithoutMechTokenThenNoKerberosMechToken() {
        byte[] krb5Oid = ApReqVerifierTest.oid(TokenFraming.KRB5_OID);
        byte[] negTokenInit = TicketForge.tlv(0xa0, TicketForge.tlv(0x30,
                TicketForge.tlv(0xa0, TicketForge.tlv(0x30, krb5Oid))));
        byte[] token = TicketForge.tlv(0x60, concat(ApReqVerifierTest.oid(TokenFraming.SPNEGO_OID), negTokenInit));

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.MALFORMED, "SPNEGO token carries no Kerberos mechanism token");
    }

    @Test
    void verifyWhenSpnegoNegTokenRespThenNoKerberosMechToken() {
        byte[] negTokenResp = TicketForge.tlv(0xa1, TicketForge.tlv(0x30, TicketForge.tlv(0xa0,
                TicketForge.tlv(0x0a, new byte[] {0x00}))));
        byte[] token = TicketForge.tlv(0x60, concat(ApReqVerifierTest.oid(TokenFraming.SPNEGO_OID), negTokenResp));

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.MALFORMED, "SPNEGO token carries no Kerberos mechanism token");
    }

    @Test
    void verifyWhenGssTokenOfUnknownMechanismThenMalformed() {
        byte[] otherOid = {0x06, 0x03, 0x2a, 0x03, 0x04};
        byte[] token = TicketForge.tlv(0x60, concat(otherOid, new byte[] {1, 0}, forge().apReq()));

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenGssKrb5TokenIsNotApReqThenMalformed() {
        byte[] token = TicketForge.tlv(0x60, concat(ApReqVerifierTest.oid(TokenFraming.KRB5_OID),
                new byte[] {0x02, 0x00}, forge().apReq()));

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    @Test
    void verifyWhenOtherKerberosMessageThenMalformed() {
        // [APPLICATION 15] is KRB_AP_REP.
        byte[] token = TicketForge.tlv(0x6f, TicketForge.tlv(0x30, new byte[0]));

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.MALFORMED, "malformed Kerberos token");
    }

    private static void expectOnlyVerificationException(byte[] token, int seed) {
        try {
            verifier.verify(token, SETTINGS);
        } catch (KerberosVerificationException e) {
            assertThat(e.description()).doesNotContainIgnoringCase("exception");
        } catch (Throwable t) {
            fail("seed " + seed + " escaped as " + t, t);
        }
    }

    /** {@code depth} SEQUENCEs nested with definite lengths around a NULL. */
    static byte[] nested(int depth) {
        byte[] der = {0x05, 0x00};
        for (int i = 0; i < depth; i++) {
            der = TicketForge.tlv(0x30, der);
        }
        return der;
    }

    private static byte[] randomDer(Random random, int depth) {
        int kind = random.nextInt(depth > 6 ? 3 : 6);
        return switch (kind) {
            case 0 -> TicketForge.tlv(0x02, randomBytes(random, 1 + random.nextInt(4)));
            case 1 -> TicketForge.tlv(0x1b, "EXAMPLE.TEST".getBytes(StandardCharsets.US_ASCII));
            case 2 -> TicketForge.tlv(0x04, randomBytes(random, random.nextInt(40)));
            default -> {
                int tag = List.of(0x30, 0x61, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4).get(random.nextInt(7));
                byte[] content = new byte[0];
                for (int i = random.nextInt(4); i >= 0; i--) {
                    content = concat(content, randomDer(random, depth + 1));
                }
                yield TicketForge.tlv(tag, content);
            }
        };
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
