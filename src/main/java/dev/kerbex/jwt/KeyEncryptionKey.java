package dev.kerbex.jwt;

import dev.kerbex.config.EmbeddedRun;
import dev.kerbex.config.KerbexConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Encrypts signing keys at rest with AES-256-GCM under {@code kerbex.key-encryption-key} (SPEC §11). The
 * tenant and key id are bound in as associated data, so a ciphertext moved to another row does not decrypt.
 * Layout: version byte 1, 12-byte nonce, ciphertext with tag.
 */
@ApplicationScoped
public class KeyEncryptionKey {
    private static final Logger LOG = Logger.getLogger(KeyEncryptionKey.class);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public KeyEncryptionKey(KerbexConfig config) {
        this.key = new SecretKeySpec(load(config), "AES");
    }

    KeyEncryptionKey(byte[] raw) {
        this.key = new SecretKeySpec(raw.clone(), "AES");
    }

    private static byte[] load(KerbexConfig config) {
        if (config.keyEncryptionKey().isPresent()) {
            return decode(config.keyEncryptionKey().get(), "kerbex.key-encryption-key");
        }
        if (!EmbeddedRun.active()) {
            throw new IllegalStateException("kerbex.key-encryption-key (KERBEX_KEY_ENCRYPTION_KEY) is required with an"
                    + " external database: a base64-encoded 256-bit key, e.g. from `openssl rand -base64 32`");
        }
        Path file = config.embeddedDb().dir().toAbsolutePath().getParent().resolve("key-encryption-key");
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(file.getParent());
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            LOG.warnf("No kerbex.key-encryption-key configured: using the generated key in %s, kept beside the embedded"
                    + " database. Configure KERBEX_KEY_ENCRYPTION_KEY in production.", file);
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(source + " must be 256 bits (32 bytes), not " + raw.length * 8);
        }
        return raw;
    }

    public byte[] encrypt(byte[] plaintext, String associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] decrypt(byte[] envelope, String associatedData) {
        if (envelope.length < 1 + NONCE_BYTES + 16 || envelope[0] != VERSION) {
            throw new IllegalStateException("signing key envelope has an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, envelope, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(envelope, 1 + NONCE_BYTES, envelope.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key does not decrypt: is kerbex.key-encryption-key the one it was"
                    + " encrypted with?", e);
        }
    }
}
