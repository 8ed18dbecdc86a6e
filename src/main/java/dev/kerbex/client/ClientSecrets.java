package dev.kerbex.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Client secrets are stored only as bcrypt hashes (SPEC §3). A bcrypt check costs tens of milliseconds by
 * design, which would cap the token endpoint at a few dozen requests per second per core; so a successful
 * check is remembered for a few minutes under a SHA-256 of (hash, secret) — the cache holds no secret, and
 * a rotated secret changes the hash and so misses the cache.
 */
@ApplicationScoped
public final class ClientSecrets {
    static final int BCRYPT_COST = 10;

    private final Cache<String, Boolean> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    public String hash(String secret) {
        return BcryptUtil.bcryptHash(secret, BCRYPT_COST);
    }

    /** True when this secret was checked against this hash successfully a short while ago (no bcrypt needed). */
    public boolean remembered(String secret, String storedHash) {
        return secret != null && storedHash != null && !secret.isEmpty()
                && verified.getIfPresent(fingerprint(storedHash, secret)) != null;
    }

    public boolean matches(String secret, String storedHash) {
        if (secret == null || storedHash == null || secret.isEmpty()) {
            return false;
        }
        String fingerprint = fingerprint(storedHash, secret);
        if (verified.getIfPresent(fingerprint) != null) {
            return true;
        }
        boolean ok;
        long started = System.nanoTime();
        try {
            ok = BcryptUtil.matches(secret, storedHash);
            dev.kerbex.observability.KerbexMeters.bcryptCheck(ok, System.nanoTime() - started);
        } catch (RuntimeException malformedHash) {
            ok = false;
        }
        if (ok) {
            verified.put(fingerprint, Boolean.TRUE);
        }
        return ok;
    }

    private static String fingerprint(String storedHash, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(storedHash.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
