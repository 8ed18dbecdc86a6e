package dev.kerbex.store;

import java.time.Instant;

/** A signing key row as the jwt package sees it; the private key is still encrypted. */
public record StoredSigningKey(String tenantId, String kid, String algorithm, String publicJwk,
        byte[] encryptedPrivateKey, String status, Instant createdAt, Instant retiredAt, Instant publishedUntil) {
}
