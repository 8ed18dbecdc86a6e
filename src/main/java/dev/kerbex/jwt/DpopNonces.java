package dev.kerbex.jwt;

import dev.kerbex.config.KerbexConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 9449 §8 server nonces, stateless: a nonce is the number of its time window and an HMAC-SHA256 of that number
 * under a server secret ({@code kerbex.dpop.nonce-secret}, the same on every replica), so any replica checks any
 * replica's nonce without storing one. A new nonce every window ({@code kerbex.dpop.nonce-window}, 60 s); a nonce
 * is accepted in its own window and the next, so one handed out just before a rotation still works.
 */
@ApplicationScoped
public class DpopNonces {
    private static final int MAC_BYTES = 16;
    private static final byte[] LABEL = "kerbex-dpop-nonce".getBytes(StandardCharsets.US_ASCII);

    private final boolean required;
    private final long windowMillis;
    private final SecretKeySpec key;
    private final Clock clock;

    @Inject
    public DpopNonces(KerbexConfig config, Clock clock) {
        this(config.dpop().requireNonce(), config.dpop().nonceWindow(),
                config.dpop().nonceSecret().map(DpopNonces::decodeSecret).orElseGet(DpopNonces::randomSecret), clock);
    }

    public DpopNonces(boolean required, Duration window, byte[] secret, Clock clock) {
        if (window.toMillis() < 1000) {
            throw new IllegalArgumentException("kerbex.dpop.nonce-window must be at least 1s");
        }
        this.required = required;
        this.windowMillis = window.toMillis();
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
    }

    /** Nonces off (tests of the proof checks alone). */
    public static DpopNonces off(Clock clock) {
        return new DpopNonces(false, Duration.ofMinutes(1), randomSecret(), clock);
    }

    /** Whether every proof must carry a current nonce. */
    public boolean required() {
        return required;
    }

    /** The nonce of the current window. */
    public String current() {
        return nonce(window());
    }

    /** True for a nonce of the current or the previous window, made under this secret. */
    public boolean valid(String nonce) {
        if (nonce == null || nonce.length() > 64) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != Long.BYTES + MAC_BYTES) {
            return false;
        }
        long w = ByteBuffer.wrap(raw, 0, Long.BYTES).getLong();
        long now = window();
        if (w != now && w != now - 1) {
            return false;
        }
        return MessageDigest.isEqual(Arrays.copyOfRange(raw, Long.BYTES, raw.length), mac(w));
    }

    private long window() {
        return Math.floorDiv(clock.millis(), windowMillis);
    }

    private String nonce(long window) {
        byte[] raw = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(window).put(mac(window)).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private byte[] mac(long window) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(LABEL);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(window).array());
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256", e);
        }
    }

    private static byte[] decodeSecret(String base64) {
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kerbex.dpop.nonce-secret is not base64");
        }
        if (secret.length < 32) {
            throw new IllegalArgumentException("kerbex.dpop.nonce-secret must hold at least 256 bits");
        }
        return secret;
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
