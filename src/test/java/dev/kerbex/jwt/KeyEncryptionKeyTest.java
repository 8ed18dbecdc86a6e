package dev.kerbex.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyEncryptionKeyTest {

    private static final String AAD = "acme/kid-2024-01";
    private static final String DOES_NOT_DECRYPT =
            "signing key does not decrypt: is kerbex.key-encryption-key the one it was encrypted with?";
    private static final String UNKNOWN_FORMAT = "signing key envelope has an unknown format";
    /** version byte + 8-byte key id + 12-byte nonce, then ciphertext, then the 16-byte GCM tag. */
    private static final int HEADER = 21;
    private static final int NONCE_AT = 9;
    private static final int TAG = 16;

    private static byte[] rawKey(int seed) {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (seed * 31 + i);
        }
        return raw;
    }

    private final KeyEncryptionKey kek = new KeyEncryptionKey(rawKey(1));
    private final byte[] plaintext = "-----BEGIN PRIVATE KEY----- ES256 signing key".getBytes(StandardCharsets.UTF_8);

    @Test
    void decryptWhenSameKeyAndAssociatedDataThenRoundTrips() {
        byte[] envelope = kek.encrypt(plaintext, AAD);

        assertThat(kek.decrypt(envelope, AAD)).isEqualTo(plaintext);
    }

    @Test
    void decryptWhenSecondInstanceWithSameKeyThenRoundTrips() {
        byte[] envelope = kek.encrypt(plaintext, AAD);

        assertThat(new KeyEncryptionKey(rawKey(1)).decrypt(envelope, AAD)).isEqualTo(plaintext);
    }

    @Test
    void decryptWhenEmptyPlaintextThenRoundTrips() {
        byte[] envelope = kek.encrypt(new byte[0], AAD);

        assertThat(envelope).hasSize(HEADER + TAG);
        assertThat(kek.decrypt(envelope, AAD)).isEmpty();
    }

    @Test
    void encryptThenEnvelopeIsVersionNonceCiphertextTag() {
        byte[] envelope = kek.encrypt(plaintext, AAD);

        assertThat(envelope).hasSize(HEADER + plaintext.length + TAG);
        assertThat(envelope[0]).isEqualTo((byte) 2);
        assertThat(KeyEncryptionKey.idOf(envelope)).isEqualTo(kek.currentId()).hasSize(16);
        assertThat(Arrays.copyOfRange(envelope, HEADER, HEADER + plaintext.length)).isNotEqualTo(plaintext);
    }

    @ParameterizedTest
    @ValueSource(strings = { "acme/kid-2024-02", "other/kid-2024-01", "", "acme/kid-2024-01 " })
    void decryptWhenAssociatedDataDiffersThenFails(String otherAad) {
        byte[] envelope = kek.encrypt(plaintext, AAD);

        assertThatThrownBy(() -> kek.decrypt(envelope, otherAad))
                .isInstanceOf(IllegalStateException.class).hasMessage(DOES_NOT_DECRYPT);
    }

    @Test
    void decryptWhenDifferentKeyThenFails() {
        byte[] envelope = kek.encrypt(plaintext, AAD);
        KeyEncryptionKey other = new KeyEncryptionKey(rawKey(2));

        assertThatThrownBy(() -> other.decrypt(envelope, AAD)).isInstanceOf(IllegalStateException.class)
                .hasMessage("signing key was encrypted with key-encryption key id " + kek.currentId()
                        + ", which is not configured (kerbex.key-encryption-key, kerbex.key-encryption-keys.previous)");
    }

    /** A flipped bit in the nonce, the first or last ciphertext byte, or the tag. */
    @ParameterizedTest
    @ValueSource(ints = { NONCE_AT, HEADER - 1, HEADER, HEADER + 10, -TAG - 1, -TAG, -1 })
    void decryptWhenAnyByteAfterVersionTamperedThenFails(int index) {
        byte[] envelope = kek.encrypt(plaintext, AAD);
        int i = index < 0 ? envelope.length + index : index;
        envelope[i] ^= 0x01;

        assertThatThrownBy(() -> kek.decrypt(envelope, AAD))
                .isInstanceOf(IllegalStateException.class).hasMessage(DOES_NOT_DECRYPT);
    }

    @ParameterizedTest
    @ValueSource(bytes = { 0, 3, (byte) 0x81, (byte) 0xff })
    void decryptWhenUnknownVersionByteThenFails(byte version) {
        byte[] envelope = kek.encrypt(plaintext, AAD);
        envelope[0] = version;

        assertThatThrownBy(() -> kek.decrypt(envelope, AAD))
                .isInstanceOf(IllegalStateException.class).hasMessage(UNKNOWN_FORMAT);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, HEADER, HEADER + TAG - 1 })
    void decryptWhenEnvelopeTooShortThenFails(int length) {
        byte[] envelope = new byte[length];
        if (length > 0) {
            envelope[0] = 2;
        }

        assertThatThrownBy(() -> kek.decrypt(envelope, AAD))
                .isInstanceOf(IllegalStateException.class).hasMessage(UNKNOWN_FORMAT);
    }

    @Test
    void decryptWhenEnvelopeTruncatedOrExtendedThenFails() {
        byte[] envelope = kek.encrypt(plaintext, AAD);

        assertThatThrownBy(() -> kek.decrypt(Arrays.copyOf(envelope, envelope.length - 1), AAD))
                .isInstanceOf(IllegalStateException.class).hasMessage(DOES_NOT_DECRYPT);
        assertThatThrownBy(() -> kek.decrypt(Arrays.copyOf(envelope, envelope.length + 1), AAD))
                .isInstanceOf(IllegalStateException.class).hasMessage(DOES_NOT_DECRYPT);
    }

    @Test
    void encryptWhenSamePlaintextTwiceThenNoncesAndCiphertextsDiffer() {
        Set<String> nonces = new HashSet<>();
        Set<String> envelopes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            byte[] envelope = kek.encrypt(plaintext, AAD);
            nonces.add(Arrays.toString(Arrays.copyOfRange(envelope, NONCE_AT, HEADER)));
            envelopes.add(Arrays.toString(envelope));
            assertThat(kek.decrypt(envelope, AAD)).isEqualTo(plaintext);
        }

        assertThat(nonces).hasSize(20);
        assertThat(envelopes).hasSize(20);
    }

    @Test
    void constructorCopiesTheRawKey() {
        byte[] raw = rawKey(3);
        KeyEncryptionKey copy = new KeyEncryptionKey(raw);
        byte[] envelope = copy.encrypt(plaintext, AAD);
        Arrays.fill(raw, (byte) 0);

        assertThat(copy.decrypt(envelope, AAD)).isEqualTo(plaintext);
        assertThat(new KeyEncryptionKey(rawKey(3)).decrypt(envelope, AAD)).isEqualTo(plaintext);
    }

    @Test
    void decryptDoesNotModifyTheEnvelope() {
        byte[] envelope = kek.encrypt(plaintext, AAD);
        byte[] before = envelope.clone();

        kek.decrypt(envelope, AAD);

        assertThat(envelope).isEqualTo(before);
    }

    // ---------------------------------------------------------------- several keys

    @Test
    void decryptWhenWrappedByAPreviousKeyThenDecryptsAndNeedsRewrap() {
        byte[] underK1 = kek.encrypt(plaintext, AAD);
        KeyEncryptionKey rotated = new KeyEncryptionKey(rawKey(2), List.of(rawKey(1)));

        assertThat(rotated.decrypt(underK1, AAD)).isEqualTo(plaintext);
        assertThat(rotated.needsRewrap(underK1)).isTrue();
        byte[] underK2 = rotated.encrypt(plaintext, AAD);
        assertThat(KeyEncryptionKey.idOf(underK2)).isEqualTo(rotated.currentId()).isNotEqualTo(kek.currentId());
        assertThat(rotated.needsRewrap(underK2)).isFalse();
        assertThat(rotated.ids()).containsExactly(rotated.currentId(), kek.currentId());
    }

    @Test
    void decryptWhenWrappingKeyNoLongerConfiguredThenNamesItsIdNotTheKey() {
        byte[] underK1 = kek.encrypt(plaintext, AAD);
        KeyEncryptionKey onlyK2 = new KeyEncryptionKey(rawKey(2));

        assertThatThrownBy(() -> onlyK2.decrypt(underK1, AAD)).isInstanceOf(IllegalStateException.class)
                .hasMessage("signing key was encrypted with key-encryption key id " + kek.currentId()
                        + ", which is not configured (kerbex.key-encryption-key, kerbex.key-encryption-keys.previous)");
    }

    @Test
    void decryptWhenKeyIdTamperedThenFails() {
        byte[] envelope = kek.encrypt(plaintext, AAD);
        envelope[1] ^= 0x01;

        assertThatThrownBy(() -> kek.decrypt(envelope, AAD)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("signing key was encrypted with key-encryption key id ");
    }

    @Test
    void decryptWhenVersionOneEnvelopeThenAnyConfiguredKeyOpensItAndItNeedsRewrap() throws Exception {
        // Version 1 (before several keys): version byte, nonce, ciphertext with tag, no key id.
        byte[] nonce = new byte[12];
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(rawKey(1), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        cipher.updateAAD(AAD.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] v1 = new byte[1 + 12 + sealed.length];
        v1[0] = 1;
        System.arraycopy(sealed, 0, v1, 13, sealed.length);

        KeyEncryptionKey rotated = new KeyEncryptionKey(rawKey(2), List.of(rawKey(1)));
        assertThat(rotated.decrypt(v1, AAD)).isEqualTo(plaintext);
        assertThat(kek.decrypt(v1, AAD)).isEqualTo(plaintext);
        assertThat(KeyEncryptionKey.idOf(v1)).isNull();
        assertThat(kek.needsRewrap(v1)).isTrue();
        assertThatThrownBy(() -> new KeyEncryptionKey(rawKey(2)).decrypt(v1, AAD))
                .isInstanceOf(IllegalStateException.class).hasMessage(DOES_NOT_DECRYPT);
    }
}
