package dev.kerbex.store;

import java.time.Instant;

/** A value to be recorded as seen (SPEC §5) in the same transaction as its request's audit row. */
public record ReplayClaim(String kind, byte[] keyHash, Instant expiresAt) {
}
