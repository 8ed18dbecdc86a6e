package dev.kerbex.kerberos;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Per-tenant verification settings (SPEC §5).
 *
 * @param services full principal names ({@code HTTP/host@REALM}) accepted as the ticket's server
 * @param realms   client realms accepted (cross-realm tickets only from these)
 * @param enctypes allowed enctype names as in krb5.conf (e.g. {@code aes256-cts-hmac-sha1-96});
 *                 aliases such as {@code arcfour-hmac} or {@code aes256-cts} are understood
 * @param skew     maximum clock skew
 */
public record VerificationSettings(Set<String> services, Set<String> realms, Set<String> enctypes, Duration skew) {

    /**
     * SPEC §5: the aes-sha1 pair; DES, 3DES and RC4 are refused unless explicitly enabled, and the RFC 8009 pair is
     * accepted when a tenant lists it (README "Decisions").
     */
    public static final Set<String> DEFAULT_ENCTYPES = Set.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96");

    /** The RFC 8009 enctypes, which a tenant enables by listing them (with the aes-sha1 pair, or alone). */
    public static final Set<String> RFC8009_ENCTYPES = Set.of("aes256-cts-hmac-sha384-192", "aes128-cts-hmac-sha256-128");

    /** SPEC §5: clock skew default 300 s. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(300);

    public VerificationSettings {
        services = Set.copyOf(Objects.requireNonNull(services, "services"));
        realms = Set.copyOf(Objects.requireNonNull(realms, "realms"));
        enctypes = Set.copyOf(Objects.requireNonNull(enctypes, "enctypes"));
        Objects.requireNonNull(skew, "skew");
        if (skew.isNegative()) {
            throw new IllegalArgumentException("skew must not be negative");
        }
    }

    /** Settings with the default enctypes and skew. */
    public static VerificationSettings of(Set<String> services, Set<String> realms) {
        return new VerificationSettings(services, realms, DEFAULT_ENCTYPES, DEFAULT_SKEW);
    }

    public VerificationSettings withEnctypes(Set<String> newEnctypes) {
        return new VerificationSettings(services, realms, newEnctypes, skew);
    }

    public VerificationSettings withRealms(Set<String> newRealms) {
        return new VerificationSettings(services, newRealms, enctypes, skew);
    }

    public VerificationSettings withServices(Set<String> newServices) {
        return new VerificationSettings(newServices, realms, enctypes, skew);
    }

    public VerificationSettings withSkew(Duration newSkew) {
        return new VerificationSettings(services, realms, enctypes, newSkew);
    }
}
