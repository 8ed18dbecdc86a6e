package dev.kerbex.testing;

import dev.kerbex.kerberos.ReplayCache;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ReplayCache} in memory, for tests. */
public final class InMemoryReplayCache implements ReplayCache {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    @Override
    public boolean firstSeen(byte[] key, Instant expiresAt) {
        return seen.putIfAbsent(HexFormat.of().formatHex(key), expiresAt) == null;
    }

    public int size() {
        return seen.size();
    }
}
