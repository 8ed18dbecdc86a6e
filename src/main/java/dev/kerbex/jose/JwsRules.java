package dev.kerbex.jose;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one purpose accepts: its algorithms ({@link JwsAlgorithms}), its {@code typ} values and its time rules.
 *
 * @param typ decides on the header's {@code typ} (null when absent)
 */
public record JwsRules(Set<String> algorithms, Predicate<String> typ, Lifetime lifetime) {

    /**
     * The time claims' rules.
     *
     * @param expRequired {@code exp} must be present (and is then never allowed to have passed: no leeway)
     * @param maxAhead    {@code exp} at most this far ahead (plus {@code leeway}); null: no bound
     * @param leeway      how far {@code nbf} and {@code iat} may be ahead of now
     * @param iatWindow   DPoP: {@code iat} required and within this of now either way; {@code exp} and {@code nbf}
     *                    are then not read; null otherwise
     */
    public record Lifetime(boolean expRequired, Duration maxAhead, Duration leeway, Duration iatWindow) {

        /** {@code exp} required and ahead; {@code nbf}, {@code iat} at most {@code leeway} ahead. */
        public static Lifetime expiring(Duration leeway) {
            return new Lifetime(true, null, leeway, null);
        }

        /** As {@link #expiring}, and {@code exp} at most {@code maxAhead} (plus the leeway) ahead. */
        public static Lifetime expiringWithin(Duration maxAhead, Duration leeway) {
            return new Lifetime(true, maxAhead, leeway, null);
        }

        /** Only {@code iat}, required, within {@code window} of now either way. */
        public static Lifetime issuedWithin(Duration window) {
            return new Lifetime(false, null, null, window);
        }
    }

    /**
     * The media type without its optional {@code application/} prefix, lower case (RFC 7515 §4.1.9): {@code at+jwt} for
     * both {@code at+jwt} and {@code application/at+jwt}.
     */
    public static String normalisedType(String typ) {
        String t = typ.toLowerCase(Locale.ROOT);
        return t.startsWith("application/") ? t.substring("application/".length()) : t;
    }
}
