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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Encrypts signing keys at rest with AES-256-GCM under {@code kerbex.key-encryption-key} (SPEC §11), and decrypts them
 * under it or any of {@code kerbex.key-encryption-keys.previous} (docs/runbooks/key-encryption-key-rotation.md). The
 * tenant and key id are bound in as associated data, so a ciphertext moved to another row does not decrypt.
 *
 * <p>Layout: version byte 2, the 8-byte id of the key that wrapped it ({@link #idOf}: a hash of the key, never the
 * key), 12-byte nonce, ciphertext with tag. Version 1 (before several keys) has no id: every configured key is tried.
 */
@ApplicationScoped
public class KeyEncryptionKey {
    private static final Logger LOG = Logger.getLogger(KeyEncryptionKey.class);
    static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_ID = 1;
    static final int ID_BYTES = 8;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;

    /** Configured keys by id, the first (encrypting) one first. */
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private final String currentId;
    private final byte[] currentIdBytes;
    private final SecretKey current;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public KeyEncryptionKey(KerbexConfig config) {
        this(load(config), previous(config));
    }

    KeyEncryptionKey(byte[] raw) {
        this(raw, List.of());
    }

    KeyEncryptionKey(byte[] first, List<byte[]> previous) {
        this.currentIdBytes = idBytes(first);
        this.currentId = HexFormat.of().formatHex(currentIdBytes);
        this.current = new SecretKeySpec(first.clone(), "AES");
        keys.put(currentId, current);
        for (byte[] raw : previous) {
            keys.putIfAbsent(HexFormat.of().formatHex(idBytes(raw)), new SecretKeySpec(raw.clone(), "AES"));
        }
    }

    /** The id of the key that encrypts: 16 hex digits of SHA-256 over the key. */
    public String currentId() {
        return currentId;
    }

    /** Ids of every configured key, the encrypting one first. */
    public List<String> ids() {
        return List.copyOf(keys.keySet());
    }

    /** The id of the key that wrapped {@code envelope}, or null for a version-1 envelope (which names none). */
    public static String idOf(byte[] envelope) {
        if (envelope.length >= 1 + ID_BYTES && envelope[0] == VERSION) {
            return HexFormat.of().formatHex(envelope, 1, 1 + ID_BYTES);
        }
        return null;
    }

    private static byte[] idBytes(byte[] raw) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static List<byte[]> previous(KerbexConfig config) {
        List<byte[]> out = new ArrayList<>();
        for (String b64 : config.keyEncryptionKeys().previous().orElse(List.of())) {
            if (!b64.isBlank()) {
                out.add(decode(b64, "kerbex.key-encryption-keys.previous"));
            }
        }
        return out;
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

    /** Encrypts under the first key; the envelope names that key's id. */
    public byte[] encrypt(byte[] plaintext, String associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + ID_BYTES + NONCE_BYTES + sealed.length).put(VERSION).put(currentIdBytes)
                    .put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Decrypts under the key the envelope names (version 2), or whichever configured key opens it (version 1). */
    public byte[] decrypt(byte[] envelope, String associatedData) {
        if (envelope.length >= 1 + ID_BYTES + NONCE_BYTES + TAG_BYTES && envelope[0] == VERSION) {
            String id = idOf(envelope);
            SecretKey key = keys.get(id);
            if (key == null) {
                throw new IllegalStateException("signing key was encrypted with key-encryption key id " + id
                        + ", which is not configured (kerbex.key-encryption-key, kerbex.key-encryption-keys.previous)");
            }
            return open(key, envelope, 1 + ID_BYTES, associatedData);
        }
        if (envelope.length >= 1 + NONCE_BYTES + TAG_BYTES && envelope[0] == VERSION_WITHOUT_ID) {
            for (SecretKey key : keys.values()) {
                try {
                    return open(key, envelope, 1, associatedData);
                } catch (IllegalStateException notThisKey) {
                    // the next configured key, if any
                }
            }
            throw doesNotDecrypt(null);
        }
        throw new IllegalStateException("signing key envelope has an unknown format");
    }

    /** True when {@code envelope} is not (yet) under the first key: the start re-wraps it. */
    public boolean needsRewrap(byte[] envelope) {
        return !currentId.equals(idOf(envelope));
    }

    private static byte[] open(SecretKey key, byte[] envelope, int nonceAt, String associatedData) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, envelope, nonceAt, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            int at = nonceAt + NONCE_BYTES;
            return cipher.doFinal(envelope, at, envelope.length - at);
        } catch (GeneralSecurityException e) {
            throw doesNotDecrypt(e);
        }
    }

    private static IllegalStateException doesNotDecrypt(Exception cause) {
        return new IllegalStateException("signing key does not decrypt: is kerbex.key-encryption-key the one it was"
                + " encrypted with?", cause);
    }
}
