package dev.kerbex.kerberos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two enctypes of RFC 8009, which Kerby 2.1.1 does not implement: {@code aes128-cts-hmac-sha256-128} (19) and
 * {@code aes256-cts-hmac-sha384-192} (20), with their checksums {@code hmac-sha256-128-aes128} (19) and
 * {@code hmac-sha384-192-aes256} (20), the PRF and string-to-key. Built on JCE primitives only: AES-CBC without
 * padding plus ciphertext stealing (RFC 3962 §5, as RFC 8009 §5 uses it), HMAC-SHA-256/384 and PBKDF2.
 *
 * <p>Every failure to decrypt or verify is a {@link GeneralSecurityException}; nothing else escapes for any input.
 */
enum Rfc8009 {
    AES128_SHA256(19, "aes128-cts-hmac-sha256-128", "HmacSHA256", "PBKDF2WithHmacSHA256", 16, 16, 16),
    AES256_SHA384(20, "aes256-cts-hmac-sha384-192", "HmacSHA384", "PBKDF2WithHmacSHA384", 32, 24, 24);

    private static final int BLOCK = 16;
    /** RFC 8009 §4: the default iteration count of string-to-key. */
    static final int DEFAULT_ITERATIONS = 32768;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ZERO_IV = new byte[BLOCK];

    private final int number;
    private final String enctypeName;
    private final String hmac;
    private final String pbkdf2;
    /** Key length of the base key and of Ke, in bytes. */
    private final int keyBytes;
    /** Length of Kc and Ki, in bytes (RFC 8009 §5: 128 and 192 bits). */
    private final int macKeyBytes;
    /** Length of the truncated HMAC that ends a ciphertext and of a checksum (h, RFC 8009 §5). */
    private final int macBytes;

    Rfc8009(int number, String enctypeName, String hmac, String pbkdf2, int keyBytes, int macKeyBytes, int macBytes) {
        this.number = number;
        this.enctypeName = enctypeName;
        this.hmac = hmac;
        this.pbkdf2 = pbkdf2;
        this.keyBytes = keyBytes;
        this.macKeyBytes = macKeyBytes;
        this.macBytes = macBytes;
    }

    /** The implementation of enctype (or checksum type, same numbers) {@code number}, or null for every other. */
    static Rfc8009 of(int number) {
        return switch (number) {
            case 19 -> AES128_SHA256;
            case 20 -> AES256_SHA384;
            default -> null;
        };
    }

    int number() {
        return number;
    }

    int keyBytes() {
        return keyBytes;
    }

    /** RFC 8009 §5 encryption with a fresh random confounder and the default (all-zero) cipher state. */
    byte[] encrypt(byte[] baseKey, int usage, byte[] plain) throws GeneralSecurityException {
        byte[] confounder = new byte[BLOCK];
        RANDOM.nextBytes(confounder);
        return encrypt(baseKey, usage, confounder, plain);
    }

    /** Encryption with a given confounder: for the RFC's test vectors. */
    byte[] encrypt(byte[] baseKey, int usage, byte[] confounder, byte[] plain) throws GeneralSecurityException {
        checkKey(baseKey);
        byte[] ke = kdf(baseKey, label(usage, 0xAA), keyBytes, null);
        byte[] ki = kdf(baseKey, label(usage, 0x55), macKeyBytes, null);
        byte[] input = new byte[BLOCK + plain.length];
        System.arraycopy(confounder, 0, input, 0, BLOCK);
        System.arraycopy(plain, 0, input, BLOCK, plain.length);
        byte[] c = ctsEncrypt(ke, input);
        byte[] h = mac(ki, ZERO_IV, c);
        byte[] out = Arrays.copyOf(c, c.length + macBytes);
        System.arraycopy(h, 0, out, c.length, macBytes);
        return out;
    }

    /** RFC 8009 §5 decryption: the HMAC is verified (in constant time) before anything is decrypted. */
    byte[] decrypt(byte[] baseKey, int usage, byte[] cipher) throws GeneralSecurityException {
        checkKey(baseKey);
        if (cipher == null || cipher.length < BLOCK + macBytes) {
            throw new GeneralSecurityException("ciphertext shorter than a confounder and its HMAC");
        }
        byte[] ki = kdf(baseKey, label(usage, 0x55), macKeyBytes, null);
        byte[] c = Arrays.copyOf(cipher, cipher.length - macBytes);
        byte[] h = Arrays.copyOfRange(cipher, c.length, cipher.length);
        byte[] expected = Arrays.copyOf(mac(ki, ZERO_IV, c), macBytes);
        if (!MessageDigest.isEqual(expected, h)) {
            throw new GeneralSecurityException("integrity check failed");
        }
        byte[] ke = kdf(baseKey, label(usage, 0xAA), keyBytes, null);
        byte[] plain = ctsDecrypt(ke, c);
        return Arrays.copyOfRange(plain, BLOCK, plain.length);
    }

    /** RFC 8009 §5 checksum: HMAC(Kc, message) truncated to h. */
    byte[] checksum(byte[] baseKey, int usage, byte[] message) throws GeneralSecurityException {
        checkKey(baseKey);
        byte[] kc = kdf(baseKey, label(usage, 0x99), macKeyBytes, null);
        return Arrays.copyOf(mac(kc, message), macBytes);
    }

    /** Verifies a checksum in constant time; false for a wrong length too. */
    boolean verifyChecksum(byte[] baseKey, int usage, byte[] message, byte[] checksum) throws GeneralSecurityException {
        return checksum != null && MessageDigest.isEqual(checksum(baseKey, usage, message), checksum);
    }

    /** RFC 8009 §5 PRF: KDF-HMAC-SHA2(base-key, "prf", 256 or 384 bits, input). */
    byte[] prf(byte[] baseKey, byte[] input) throws GeneralSecurityException {
        checkKey(baseKey);
        return kdf(baseKey, "prf".getBytes(StandardCharsets.US_ASCII), this == AES128_SHA256 ? 32 : 48, input);
    }

    /** RFC 8009 §4 string-to-key with the default iteration count. */
    byte[] stringToKey(char[] password, byte[] salt) throws GeneralSecurityException {
        return stringToKey(password, salt, DEFAULT_ITERATIONS);
    }

    /**
     * RFC 8009 §4: saltp = enctype-name | 0x00 | salt; tkey = PBKDF2(passphrase, saltp, iterations, keylength);
     * base-key = KDF-HMAC-SHA2(tkey, "kerberos", keylength). PBKDF2 takes the password as UTF-8 (JCE does so).
     */
    byte[] stringToKey(char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        byte[] name = enctypeName.getBytes(StandardCharsets.US_ASCII);
        byte[] saltp = new byte[name.length + 1 + salt.length];
        System.arraycopy(name, 0, saltp, 0, name.length);
        System.arraycopy(salt, 0, saltp, name.length + 1, salt.length);
        PBEKeySpec spec = new PBEKeySpec(password, saltp, iterations, keyBytes * 8);
        try {
            byte[] tkey = SecretKeyFactory.getInstance(pbkdf2).generateSecret(spec).getEncoded();
            return kdf(tkey, "kerberos".getBytes(StandardCharsets.US_ASCII), keyBytes, null);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * RFC 8009 §3 KDF-HMAC-SHA2: the first k bits of HMAC(key, 0x00000001 | label | 0x00 | context | k), k as a
     * 32-bit big-endian bit count. k never exceeds one digest, so one HMAC suffices.
     */
    byte[] kdf(byte[] key, byte[] label, int lengthBytes, byte[] context) throws GeneralSecurityException {
        int contextLength = context == null ? 0 : context.length;
        ByteBuffer input = ByteBuffer.allocate(4 + label.length + 1 + contextLength + 4);
        input.putInt(1).put(label).put((byte) 0);
        if (context != null) {
            input.put(context);
        }
        input.putInt(lengthBytes * 8);
        return Arrays.copyOf(mac(key, input.array()), lengthBytes);
    }

    /** The 5-octet label of RFC 3961 §5.3: the key usage (32-bit big-endian) and one of 0x99, 0xAA, 0x55. */
    private static byte[] label(int usage, int constant) {
        return ByteBuffer.allocate(5).putInt(usage).put((byte) constant).array();
    }

    private void checkKey(byte[] baseKey) throws GeneralSecurityException {
        if (baseKey == null || baseKey.length != keyBytes) {
            throw new GeneralSecurityException(enctypeName + " needs a key of " + keyBytes + " bytes");
        }
    }

    private byte[] mac(byte[] key, byte[]... parts) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(key, hmac));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /**
     * AES-CBC with ciphertext stealing as RFC 3962 §5 defines it (CBC-CS3: the last two blocks always swapped), zero
     * IV; input of at least one block. The last partial block is zero-padded, the whole run CBC-encrypted, then the
     * last two cipher blocks swapped and the result cut to the input's length.
     */
    static byte[] ctsEncrypt(byte[] key, byte[] plain) throws GeneralSecurityException {
        if (plain.length < BLOCK) {
            throw new GeneralSecurityException("CTS needs at least one block");
        }
        if (plain.length == BLOCK) {
            return cbc(Cipher.ENCRYPT_MODE, key, ZERO_IV, plain);
        }
        int blocks = (plain.length + BLOCK - 1) / BLOCK;
        byte[] padded = Arrays.copyOf(plain, blocks * BLOCK);
        byte[] c = cbc(Cipher.ENCRYPT_MODE, key, ZERO_IV, padded);
        int last = (blocks - 1) * BLOCK;
        int penultimate = last - BLOCK;
        byte[] out = Arrays.copyOf(c, plain.length);
        System.arraycopy(c, last, out, penultimate, BLOCK);
        System.arraycopy(c, penultimate, out, last, plain.length - last);
        return out;
    }

    /** The inverse of {@link #ctsEncrypt}. */
    static byte[] ctsDecrypt(byte[] key, byte[] cipher) throws GeneralSecurityException {
        if (cipher.length < BLOCK) {
            throw new GeneralSecurityException("CTS needs at least one block");
        }
        if (cipher.length == BLOCK) {
            return cbc(Cipher.DECRYPT_MODE, key, ZERO_IV, cipher);
        }
        int blocks = (cipher.length + BLOCK - 1) / BLOCK;
        int penultimate = (blocks - 2) * BLOCK;
        int last = penultimate + BLOCK;
        int tail = cipher.length - last;
        byte[] out = new byte[cipher.length];
        // The leading full blocks are plain CBC; the block before the swapped pair chains into it.
        byte[] iv = ZERO_IV;
        if (penultimate > 0) {
            byte[] head = cbc(Cipher.DECRYPT_MODE, key, ZERO_IV, Arrays.copyOf(cipher, penultimate));
            System.arraycopy(head, 0, out, 0, penultimate);
            iv = Arrays.copyOfRange(cipher, penultimate - BLOCK, penultimate);
        }
        // On the wire: E(last padded block) first, then the cut-off cipher block before it.
        byte[] d = cbc(Cipher.DECRYPT_MODE, key, ZERO_IV, Arrays.copyOfRange(cipher, penultimate, last));
        byte[] previous = new byte[BLOCK];
        System.arraycopy(cipher, last, previous, 0, tail);
        System.arraycopy(d, tail, previous, tail, BLOCK - tail);
        for (int i = 0; i < tail; i++) {
            out[last + i] = (byte) (d[i] ^ previous[i]);
        }
        byte[] p = cbc(Cipher.DECRYPT_MODE, key, iv, previous);
        System.arraycopy(p, 0, out, penultimate, BLOCK);
        return out;
    }

    private static byte[] cbc(int mode, byte[] key, byte[] iv, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return cipher.doFinal(input);
    }
}
