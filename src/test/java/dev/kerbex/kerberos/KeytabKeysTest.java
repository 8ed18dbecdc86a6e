package dev.kerbex.kerberos;

import static dev.kerbex.kerberos.ApReqVerifierTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.MutableClock;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeytabKeysTest {

    static final String SERVICE = TestKdc.SERVICE;
    static final int AES256 = 18;
    static final int AES128 = 17;
    static final Instant NOW = ApReqVerifierTest.NOW;

    @TempDir
    Path dir;
    MutableClock clock;

    @BeforeEach
    void clock() {
        clock = new MutableClock(NOW);
    }

    @Test
    void findWhenTwoKvnosThenEachByKvnoAndHighestWithoutKvno() {
        Path keytab = new TestKeytab()
                .add(SERVICE, "one", 1, "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96")
                .add(SERVICE, "two", 2, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("k.keytab"));
        KeytabKeys keys = new KeytabKeys(List.of(keytab), clock);

        assertThat(keys.find(SERVICE, AES256, 1)).hasValueSatisfying(k -> assertThat(k.kvno()).isEqualTo(1));
        assertThat(keys.find(SERVICE, AES256, 2)).hasValueSatisfying(k -> assertThat(k.kvno()).isEqualTo(2));
        assertThat(keys.find(SERVICE, AES256, -1)).hasValueSatisfying(k -> assertThat(k.kvno()).isEqualTo(2));
        assertThat(keys.find(SERVICE, AES128, -1)).hasValueSatisfying(k -> assertThat(k.kvno()).isEqualTo(1));
        assertThat(keys.find(SERVICE, AES128, 2)).isEmpty();
        assertThat(keys.find("HTTP/other@EXAMPLE.TEST", AES256, 1)).isEmpty();
        assertThat(keys.principals()).containsExactly(SERVICE);
    }

    @Test
    void findWhenSeveralFilesThenKeysOfAll() {
        Path first = new TestKeytab().add(SERVICE, "one", 1, "aes256-cts-hmac-sha1-96").write(dir.resolve("a.keytab"));
        Path second = new TestKeytab().add(TestKdc.OTHER_SERVICE, "x", 4, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("b.keytab"));
        KeytabKeys keys = new KeytabKeys(List.of(first, second), clock);

        assertThat(keys.principals()).containsExactlyInAnyOrder(SERVICE, TestKdc.OTHER_SERVICE);
        assertThat(keys.find(TestKdc.OTHER_SERVICE, AES256, 4)).isPresent();
    }

    @Test
    void findWhenFileReplacedThenReloadedAfterASecond() throws Exception {
        Path file = dir.resolve("service.keytab");
        new TestKeytab().add(SERVICE, "one", 1, "aes256-cts-hmac-sha1-96").write(file);
        KeytabKeys keys = new KeytabKeys(List.of(file), clock);
        assertThat(keys.find(SERVICE, AES256, 1)).isPresent();

        new TestKeytab().add(SERVICE, "two", 2, "aes256-cts-hmac-sha1-96").write(file);
        bumpMtime(file);
        clock.advance(Duration.ofMillis(500));
        assertThat(keys.find(SERVICE, AES256, 2)).as("checked at most once per second").isEmpty();

        clock.advance(Duration.ofMillis(600));
        assertThat(keys.find(SERVICE, AES256, 2)).isPresent();
        assertThat(keys.find(SERVICE, AES256, 1)).isEmpty();
    }

    @Test
    void findWhenReplacementCorruptThenPreviousKeysKept() throws Exception {
        Path file = dir.resolve("service.keytab");
        new TestKeytab().add(SERVICE, "one", 1, "aes256-cts-hmac-sha1-96").write(file);
        KeytabKeys keys = new KeytabKeys(List.of(file), clock);

        Files.write(file, new byte[] {0x05, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01});
        bumpMtime(file);
        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.find(SERVICE, AES256, 1)).as("corrupt keytab keeps the old keys").isPresent();

        new TestKeytab().add(SERVICE, "three", 3, "aes256-cts-hmac-sha1-96").write(file);
        bumpMtime(file);
        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.find(SERVICE, AES256, 3)).as("a repaired keytab is read again").isPresent();
    }

    @Test
    void findWhenFileMissingAtStartThenLoadedOnceItAppears() {
        Path file = dir.resolve("late.keytab");
        KeytabKeys keys = new KeytabKeys(List.of(file), clock);
        assertThat(keys.principals()).isEmpty();

        new TestKeytab().add(SERVICE, "one", 1, "aes256-cts-hmac-sha1-96").write(file);
        clock.advance(Duration.ofSeconds(1));

        assertThat(keys.find(SERVICE, AES256, 1)).isPresent();
    }

    @Test
    void verifyWhenKeytabRotatedUnderVerifierThenNewKvnoVerifiesWithoutNewInstance() throws Exception {
        Path file = dir.resolve("service.keytab");
        new TestKeytab().add(SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96").write(file);
        ApReqVerifier verifier = new ApReqVerifier(new KeytabKeys(List.of(file), clock), new InMemoryReplayCache(), clock);
        VerificationSettings settings = ApReqVerifierTest.SETTINGS;
        assertRejected(() -> verifier.verify(TicketForge.forService(SERVICE, "new").at(NOW).kvno(2).gss(), settings),
                Reason.NO_KEY,
                "no key for HTTP/kerbex.example.test@EXAMPLE.TEST kvno 2 enctype aes256-cts-hmac-sha1-96");

        new TestKeytab()
                .add(SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                .add(SERVICE, "new", 2, "aes256-cts-hmac-sha1-96")
                .write(file);
        bumpMtime(file);
        clock.advance(Duration.ofSeconds(1));

        assertThat(verifier.verify(TicketForge.forService(SERVICE, "new").at(clock.instant()).kvno(2).gss(), settings)
                .principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(verifier.verify(TicketForge.forService(SERVICE, TestKdc.SERVICE_PASSWORD).at(clock.instant()).kvno(1)
                .gss(), settings).principal()).isEqualTo("alice@EXAMPLE.TEST");
    }

    @Test
    void parseWhenKdcExportedKeytabThenServiceKeys() {
        KeytabKeys keys = new KeytabKeys(List.of(TestKdc.get().serviceKeytab()), Clock.systemUTC());

        assertThat(keys.principals()).contains(SERVICE);
        assertThat(keys.find(SERVICE, AES256, -1)).isPresent();
    }

    @Test
    void parseWhenThirtyTwoBitKvnoThenItWins() throws Exception {
        List<KeytabKeys.Key> keys = KeytabKeys.parse(keytabWithOneEntry(300 & 0xff, 300));

        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.principal()).isEqualTo(SERVICE);
            assertThat(k.kvno()).isEqualTo(300);
            assertThat(k.enctype()).isEqualTo(AES256);
            assertThat(k.matchesKvno(300)).isTrue();
            assertThat(k.matchesKvno(44)).isFalse();
        });
    }

    @Test
    void findWhenKeytabHasOnlyEightBitKvnoThenTicketKvnoMatchesModulo256() throws Exception {
        Path file = dir.resolve("eight-bit.keytab");
        Files.write(file, keytabWithOneEntry(300 & 0xff, null));
        KeytabKeys keys = new KeytabKeys(List.of(file), clock);

        assertThat(keys.find(SERVICE, AES256, 300)).isPresent();
        assertThat(keys.find(SERVICE, AES256, 44)).isPresent();
        assertThat(keys.find(SERVICE, AES256, 301)).isEmpty();
    }

    /** An MIT 0x0502 keytab with a hole and one aes256 entry for the service, written by hand. */
    private static byte[] keytabWithOneEntry(int vno8, Integer vno32) throws IOException {
        byte[] key = new byte[32];
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(entry);
        out.writeShort(2);
        writeString(out, "EXAMPLE.TEST");
        writeString(out, "HTTP");
        writeString(out, "kerbex.example.test");
        out.writeInt(1); // KRB5_NT_PRINCIPAL
        out.writeInt(0); // timestamp
        out.writeByte(vno8);
        out.writeShort(AES256);
        out.writeShort(key.length);
        out.write(key);
        if (vno32 != null) {
            out.writeInt(vno32);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream fileOut = new DataOutputStream(file);
        fileOut.writeShort(0x0502);
        fileOut.writeInt(-7); // a hole left by a deleted entry
        fileOut.write(new byte[7]);
        fileOut.writeInt(entry.size());
        fileOut.write(entry.toByteArray());
        return file.toByteArray();
    }

    @Test
    void parseWhenEntryOverrunsFileThenIOException() {
        byte[] content = {0x05, 0x02, 0x00, 0x00, 0x10, 0x00, 0x00};

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeytabKeys.parse(content))
                .isInstanceOf(IOException.class);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static void bumpMtime(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(10)));
    }

    @Test
    void settingsWhenEnctypesGivenThenCopiedAndDefaultsAreAes() {
        VerificationSettings settings = VerificationSettings.of(Set.of(SERVICE), Set.of("EXAMPLE.TEST"));

        assertThat(settings.enctypes()).containsExactlyInAnyOrder("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96");
        assertThat(settings.skew()).isEqualTo(Duration.ofSeconds(300));
    }
}
