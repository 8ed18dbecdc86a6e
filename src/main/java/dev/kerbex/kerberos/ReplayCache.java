package dev.kerbex.kerberos;

import java.time.Instant;

/**
 * Port for the cluster-wide replay cache (SPEC §5; implemented over PostgreSQL elsewhere).
 */
public interface ReplayCache {

    /**
     * Records {@code key} until {@code expiresAt}.
     *
     * @return true if the key was not seen before and is now recorded; false if it is a replay
     * @throws RuntimeException when the store is unavailable; verification lets it propagate
     */
    boolean firstSeen(byte[] key, Instant expiresAt);
}
