package dev.kerbex.jose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Where one-time JWTs (DPoP proofs, client assertions) record their {@code jti} so that each is accepted once across
 * all replicas ({@code ReplayStore} in production).
 */
@FunctionalInterface
public interface JtiReplays {

    /** Records {@code keyHash}; false when it was seen before. */
    boolean firstSeen(String kind, byte[] keyHash, Instant expiresAt);

    /** The SHA-256 of the parts, each ended by a NUL, so that no two different part lists share a key. */
    static byte[] key(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
