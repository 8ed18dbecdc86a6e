package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification rules of SPEC §5 on forged AP-REQs: every field under the test's control, no KDC. */
class ApReqVerifierTest {

    static final Instant NOW = Instant.parse("2030-03-01T12:00:00Z");
    static final String SERVICE = TestKdc.SERVICE;
    static final String PASSWORD = TestKdc.SERVICE_PASSWORD;
    static final VerificationSettings SETTINGS = VerificationSettings.of(Set.of(SERVICE), Set.of(TestKdc.REALM));

    @TempDir
    static Path dir;
    static KeytabKeys keys;

    InMemoryReplayCache replayCache;
    ApReqVerifier verifier;

    @BeforeAll
    static void writeKeytab() {
        Path keytab = new TestKeytab()
                .add(SERVICE, PASSWORD, 1, "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "rc4-hmac", "des3-cbc-sha1")
                .write(dir.resolve("service.keytab"));
        keys = new KeytabKeys(List.of(keytab), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @BeforeEach
    void newVerifier() {
        replayCache = new InMemoryReplayCache();
        verifier = new ApReqVerifier(keys, replayCache, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static TicketForge forge() {
        return TicketForge.forService(SERVICE, PASSWORD).at(NOW);
    }

    // --- accepted framings -------------------------------------------------------------------------

    @Test
    void verifyWhenRawApReqThenAlice() throws Exception {
        KerberosIdentity identity = verifier.verify(forge().apReq(), SETTINGS);

        assertThat(identity).isEqualTo(new KerberosIdentity("alice@EXAMPLE.TEST", "EXAMPLE.TEST", SERVICE,
                NOW, NOW.plusSeconds(3600), "aes256-cts-hmac-sha1-96"));
    }

    @Test
    void verifyWhenGssFramedThenAlice() throws Exception {
        assertThat(verifier.verify(forge().gss(), SETTINGS).principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenSpnegoThenAlice() throws Exception {
        assertThat(verifier.verify(forge().spnego(), SETTINGS).principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenBareNegTokenInitThenAlice() throws Exception {
        byte[] mechTypes = TicketForge.tlv(0xa0, TicketForge.tlv(0x30, oid(TokenFraming.KRB5_OID)));
        byte[] mechToken = TicketForge.tlv(0xa2, TicketForge.tlv(0x04, forge().gss()));
        byte[] bare = TicketForge.tlv(0xa0, TicketForge.tlv(0x30, concat(mechTypes, mechToken)));

        assertThat(verifier.verify(bare, SETTINGS).principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenOldAndMicrosoftKrb5OidsThenAlice() throws Exception {
        for (byte[] mechOid : List.of(TokenFraming.KRB5_OLD_OID, TokenFraming.KRB5_MS_OID)) {
            byte[] token = TicketForge.tlv(0x60, concat(oid(mechOid), new byte[] {1, 0}, forge().apReq()));

            assertThat(verifier.verify(token, SETTINGS).principal()).isEqualTo("alice@EXAMPLE.TEST");
        }
    }

    @Test
    void verifyWhenAes128TicketThenAes128() throws Exception {
        byte[] token = forge().enctype("aes128-cts-hmac-sha1-96").gss();

        assertThat(verifier.verify(token, SETTINGS).enctype()).isEqualTo("aes128-cts-hmac-sha1-96");
    }

    @Test
    void verifyWhenTicketHasNoKvnoThenHighestKvnoOfEnctype() throws Exception {
        assertThat(verifier.verify(forge().noKvno().apReq(), SETTINGS).principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void verifyWhenTicketEndedWithinSkewThenAccepted() throws Exception {
        byte[] token = forge().authTime(NOW.minusSeconds(7200)).startTime(NOW.minusSeconds(7200))
                .endTime(NOW.minusSeconds(299)).apReq();

        assertThat(verifier.verify(token, SETTINGS).ticketEnd()).isEqualTo(NOW.minusSeconds(299));
    }

    @Test
    void verifyWhenCtimeJustInsideSkewThenAccepted() throws Exception {
        assertThat(verifier.verify(forge().ctime(NOW.minusSeconds(300)).apReq(), SETTINGS)).isNotNull();
        assertThat(verifier.verify(forge().ctime(NOW.plusSeconds(300)).apReq(), SETTINGS)).isNotNull();
    }

    // --- rejections -------------------------------------------------------------------------------

    @Test
    void verifyWhenTicketCipherTamperedThenDecryptFailed() {
        byte[] token = TicketForge.gssWrap(TicketForge.tamperTicketCipher(forge().apReq()));

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.DECRYPT_FAILED, "ticket does not decrypt with the service key");
    }

    @Test
    void verifyWhenAuthenticatorTamperedThenDecryptFailed() {
        byte[] token = TicketForge.gssWrap(TicketForge.tamperAuthenticatorCipher(forge().apReq()));

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.DECRYPT_FAILED, "authenticator does not decrypt with the session key");
    }

    @Test
    void verifyWhenSealedWithAnotherKeyThenDecryptFailed() {
        byte[] token = forge().servicePassword("not-the-service-password").gss();

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.DECRYPT_FAILED, "ticket does not decrypt with the service key");
    }

    @Test
    void verifyWhenKeytabFromAnotherPasswordThenDecryptFailed() throws Exception {
        Path keytab = new TestKeytab().add(SERVICE, "another-password", 1, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("wrong.keytab"));
        ApReqVerifier wrongKeys = new ApReqVerifier(new KeytabKeys(List.of(keytab), Clock.fixed(NOW, ZoneOffset.UTC)),
                replayCache, Clock.fixed(NOW, ZoneOffset.UTC));

        assertRejected(() -> wrongKeys.verify(forge().gss(), SETTINGS),
                Reason.DECRYPT_FAILED, "ticket does not decrypt with the service key");
    }

    @Test
    void verifyWhenUnknownKvnoThenNoKey() {
        byte[] token = forge().kvno(3).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.NO_KEY,
                "no key for HTTP/kerbex.example.test@EXAMPLE.TEST kvno 3 enctype aes256-cts-hmac-sha1-96");
    }

    @Test
    void verifyWhenServiceHasNoKeysThenNoKey() {
        String unkeyed = "HTTP/unkeyed.example.test@EXAMPLE.TEST";
        byte[] token = TicketForge.forService(unkeyed, "x").at(NOW).apReq();

        assertRejected(() -> verifier.verify(token, SETTINGS.withServices(Set.of(SERVICE, unkeyed))), Reason.NO_KEY,
                "no key for HTTP/unkeyed.example.test@EXAMPLE.TEST kvno 1 enctype aes256-cts-hmac-sha1-96");
    }

    @Test
    void verifyWhenTicketForOtherServiceThenWrongService() {
        byte[] token = TicketForge.forService(TestKdc.OTHER_SERVICE, TestKdc.OTHER_SERVICE_PASSWORD).at(NOW).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.WRONG_SERVICE,
                "ticket is for HTTP/other.example.test@EXAMPLE.TEST, not a service of this tenant");
    }

    @Test
    void verifyWhenServiceOfOtherRealmThenWrongService() {
        byte[] token = TicketForge.forService("HTTP/kerbex.example.test@OTHER.TEST", PASSWORD).at(NOW).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.WRONG_SERVICE,
                "ticket is for HTTP/kerbex.example.test@OTHER.TEST, not a service of this tenant");
    }

    @Test
    void verifyWhenClientRealmNotAcceptedThenForeignRealm() {
        assertRejected(() -> verifier.verify(forge().gss(), SETTINGS.withRealms(Set.of("CORP.TEST"))),
                Reason.FOREIGN_REALM, "client realm EXAMPLE.TEST is not accepted by this tenant");
    }

    @Test
    void verifyWhenCrossRealmClientFromAcceptedRealmThenAccepted() throws Exception {
        byte[] token = forge().client("bob@CORP.TEST").gss();

        KerberosIdentity identity = verifier.verify(token, SETTINGS.withRealms(Set.of("EXAMPLE.TEST", "CORP.TEST")));

        assertThat(identity.principal()).isEqualTo("bob@CORP.TEST");
        assertThat(identity.realm()).isEqualTo("CORP.TEST");
    }

    @Test
    void verifyWhenTicketExpiredThenExpired() {
        byte[] token = forge().authTime(NOW.minusSeconds(7200)).startTime(NOW.minusSeconds(7200))
                .endTime(NOW.minusSeconds(301)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.EXPIRED, "Kerberos ticket expired");
    }

    @Test
    void verifyWhenTicketNotYetValidThenNotYetValid() {
        byte[] token = forge().startTime(NOW.plusSeconds(301)).endTime(NOW.plusSeconds(7200)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.NOT_YET_VALID, "Kerberos ticket not yet valid");
    }

    @Test
    void verifyWhenNoStartTimeAndAuthTimeInFutureThenNotYetValid() {
        byte[] token = forge().startTime(null).authTime(NOW.plusSeconds(3600)).endTime(NOW.plusSeconds(7200)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.NOT_YET_VALID, "Kerberos ticket not yet valid");
    }

    @Test
    void verifyWhenTicketFlaggedInvalidThenInvalidTicket() {
        assertRejected(() -> verifier.verify(forge().invalid().gss(), SETTINGS),
                Reason.INVALID_TICKET, "Kerberos ticket is marked invalid");
    }

    @Test
    void verifyWhenAuthenticatorTooOldThenClockSkew() {
        byte[] token = forge().ctime(NOW.minusSeconds(412)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.CLOCK_SKEW, "clock skew 412s exceeds 300s");
    }

    @Test
    void verifyWhenAuthenticatorFromFutureThenClockSkew() {
        byte[] token = forge().ctime(NOW.plusSeconds(412)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.CLOCK_SKEW, "clock skew 412s exceeds 300s");
    }

    @Test
    void verifyWhenTenantSkewSmallerThenClockSkewNamesIt() {
        byte[] token = forge().ctime(NOW.minusSeconds(61)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS.withSkew(java.time.Duration.ofSeconds(60))),
                Reason.CLOCK_SKEW, "clock skew 61s exceeds 60s");
    }

    @Test
    void verifyWhenAuthenticatorNamesAnotherClientThenClientMismatch() {
        byte[] token = forge().authenticatorClient("mallory@EXAMPLE.TEST").gss();

        assertRejected(() -> verifier.verify(token, SETTINGS),
                Reason.CLIENT_MISMATCH, "authenticator names another client than the ticket");
    }

    @Test
    void verifyWhenSameTokenTwiceThenReplayed() throws Exception {
        byte[] token = forge().gss();
        verifier.verify(token, SETTINGS);

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.REPLAYED, "authenticator replayed");
    }

    @Test
    void verifyWhenSameApReqInOtherFramingThenReplayed() throws Exception {
        byte[] apReq = forge().apReq();
        verifier.verify(apReq, SETTINGS);

        assertRejected(() -> verifier.verify(TicketForge.spnegoWrap(TicketForge.gssWrap(apReq)), SETTINGS),
                Reason.REPLAYED, "authenticator replayed");
    }

    @Test
    void verifyWhenRejectedThenNoReplayCacheSlotTaken() {
        byte[] token = forge().ctime(NOW.minusSeconds(412)).gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.CLOCK_SKEW, "clock skew 412s exceeds 300s");
        assertThat(replayCache.size()).isZero();
    }

    @Test
    void verifyWhenAcceptedThenReplayKeyKeptUntilCtimePlusSkew() throws Exception {
        Instant[] expiry = new Instant[1];
        ApReqVerifier recording = new ApReqVerifier(keys, (key, expiresAt) -> {
            assertThat(key).hasSize(32);
            expiry[0] = expiresAt;
            return true;
        }, Clock.fixed(NOW, ZoneOffset.UTC));

        recording.verify(forge().ctime(NOW.minusSeconds(10)).gss(), SETTINGS);

        assertThat(expiry[0]).isEqualTo(NOW.minusSeconds(10).plusSeconds(300));
    }

    @Test
    void verifyWhenReplayCacheUnavailableThenItsExceptionPropagates() {
        IllegalStateException down = new IllegalStateException("replay store down");
        ApReqVerifier failing = new ApReqVerifier(keys, (key, expiresAt) -> {
            throw down;
        }, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThatThrownBy(() -> failing.verify(forge().gss(), SETTINGS)).isSameAs(down);
    }

    @Test
    void verifyWhenRc4TicketAndDefaultEnctypesThenWeakEnctype() {
        byte[] token = forge().enctype("rc4-hmac").gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.WEAK_ENCTYPE, "enctype rc4-hmac is not allowed");
    }

    @Test
    void verifyWhenRc4ListedThenAccepted() throws Exception {
        VerificationSettings withRc4 = SETTINGS.withEnctypes(Set.of("aes256-cts-hmac-sha1-96", "rc4-hmac"));

        KerberosIdentity identity = verifier.verify(forge().enctype("rc4-hmac").gss(), withRc4);

        assertThat(identity.enctype()).isEqualTo("rc4-hmac");
    }

    @Test
    void verifyWhenRc4ListedByAliasThenAccepted() throws Exception {
        VerificationSettings withRc4 = SETTINGS.withEnctypes(Set.of("arcfour-hmac"));

        assertThat(verifier.verify(forge().enctype("rc4-hmac").apReq(), withRc4).enctype()).isEqualTo("rc4-hmac");
    }

    @Test
    void verifyWhenDes3TicketThenWeakEnctypeUnlessListed() throws Exception {
        assertRejected(() -> verifier.verify(forge().enctype("des3-cbc-sha1").gss(), SETTINGS),
                Reason.WEAK_ENCTYPE, "enctype des3-cbc-sha1 is not allowed");

        KerberosIdentity identity = verifier.verify(forge().enctype("des3-cbc-sha1").gss(),
                SETTINGS.withEnctypes(Set.of("des3-cbc-sha1")));
        assertThat(identity.enctype()).isEqualTo("des3-cbc-sha1");
    }

    @Test
    void verifyWhenAesTicketCarriesRc4SessionKeyThenWeakEnctype() {
        byte[] token = forge().sessionEnctype("rc4-hmac").gss();

        assertRejected(() -> verifier.verify(token, SETTINGS), Reason.WEAK_ENCTYPE, "enctype rc4-hmac is not allowed");
    }

    @Test
    void verifyWhenTicketsOfTwoKvnosAndKeytabHoldsBothThenBothVerify() throws Exception {
        Path keytab = new TestKeytab()
                .add(SERVICE, PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                .add(SERVICE, "rotated-password", 2, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("rotation.keytab"));
        ApReqVerifier rotating = new ApReqVerifier(new KeytabKeys(List.of(keytab), Clock.fixed(NOW, ZoneOffset.UTC)),
                replayCache, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(rotating.verify(forge().kvno(1).gss(), SETTINGS).principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(rotating.verify(TicketForge.forService(SERVICE, "rotated-password").at(NOW).kvno(2).gss(), SETTINGS)
                .principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(rotating.verify(TicketForge.forService(SERVICE, "rotated-password").at(NOW).noKvno().gss(), SETTINGS)
                .principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    static void assertRejected(ThrowingCallable call, Reason reason, String description) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KerberosVerificationException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.description()).isEqualTo(description);
        });
    }

    static byte[] oid(byte[] content) {
        return TicketForge.tlv(0x06, content);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
