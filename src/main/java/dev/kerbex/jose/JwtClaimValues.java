package dev.kerbex.jose;

import dev.kerbex.jose.Refusal.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reading claims of the shapes RFC 7519 gives them, refusing any other shape as a value. */
public final class JwtClaimValues {
    /** Beyond this many seconds from the epoch (year ~5138) a NumericDate is refused as out of range. */
    private static final double MAX_SECONDS = 1e11;

    /** A NumericDate claim: its value (null when absent), or the refusal of a malformed one. */
    public record Date(Instant value, Refusal refusal) {
    }

    private JwtClaimValues() {
    }

    /** RFC 7519 §2 NumericDate: a JSON number of seconds, fractions dropped. */
    public static Date date(JwsToken token, String name) {
        Object v = token.claim(name);
        if (v == null) {
            return new Date(null, null);
        }
        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
            return new Date(null, Refusal.claim(Reason.CLAIM_MALFORMED, name, name + " is not a number"));
        }
        double seconds = Math.floor(n.doubleValue());
        if (Math.abs(seconds) > MAX_SECONDS) {
            return new Date(null, Refusal.claim(Reason.CLAIM_MALFORMED, name, name + " is out of range"));
        }
        return new Date(Instant.ofEpochSecond((long) seconds), null);
    }

    /** A string or an array of strings as a list (absent: empty); null for any other shape. */
    public static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    return null;
                }
                out.add(s);
            }
            return out;
        }
        return null;
    }
}
