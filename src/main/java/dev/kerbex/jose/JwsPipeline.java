package dev.kerbex.jose;

import dev.kerbex.jose.Refusal.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The one JOSE verification pipeline of Kerbex: subject and actor tokens, the tenant's own tokens (introspection,
 * revocation), client assertions and DPoP proofs all pass through it. After {@link JwsToken#parse} (bounds, compact
 * form, header member types) come, in this order: the algorithm against the purpose's allow-list, the keys the
 * purpose selects, each key's fit to the algorithm, the signature ({@link JwsSignatures}), {@code typ}, and the time
 * claims. {@code typ} is read after the signature so that, until the signer is proven, every failure of a key or a
 * signature looks the same. The first failing step ends it with a {@link Refusal}; nothing is thrown.
 *
 * <p>Audience, issuer and the purpose's own claims ({@code jti}, {@code htu}, {@code sub}, ...) are the caller's,
 * with {@link #audience} and {@link JwtClaimValues} for the shared parts.
 */
public final class JwsPipeline {

    /** The keys a purpose lets sign a token: by {@code kid}, registered for a client, or the header's own {@code jwk}. */
    @FunctionalInterface
    public interface KeySelector {
        Keys select(JwsToken token);
    }

    /**
     * The candidate keys (empty: none known), or why none can be had at all (a {@link Refusal} of reason
     * {@code KEYS_UNAVAILABLE}, {@code UNKNOWN_KEY} or {@code MALFORMED}).
     */
    public record Keys(List<PublicJsonWebKey> candidates, Refusal refusal) {
        public static Keys of(List<PublicJsonWebKey> candidates) {
            return new Keys(List.copyOf(candidates), null);
        }

        public static Keys one(PublicJsonWebKey key) {
            return new Keys(key == null ? List.of() : List.of(key), null);
        }

        public static Keys refused(Refusal.Reason reason, String detail) {
            return new Keys(List.of(), Refusal.of(reason, detail));
        }
    }

    private JwsPipeline() {
    }

    /** Parses {@code compact} within {@code maxChars}, then {@link #verify}. */
    public static JwsResult verify(String compact, int maxChars, JwsRules rules, KeySelector keys, Instant now) {
        ParsedJws parsed = JwsToken.parse(compact, maxChars);
        return parsed instanceof Refusal r ? r : verify((JwsToken) parsed, rules, keys, now);
    }

    public static JwsResult verify(JwsToken token, JwsRules rules, KeySelector keys, Instant now) {
        Refusal algorithm = algorithm(token, rules);
        if (algorithm != null) {
            return algorithm;
        }
        String alg = token.alg();
        Keys selected = keys.select(token);
        if (selected.refusal() != null) {
            return selected.refusal();
        }
        if (selected.candidates().isEmpty()) {
            return Refusal.of(Reason.UNKNOWN_KEY, "no key for kid " + token.kid());
        }
        PublicJsonWebKey signer = null;
        boolean anyFits = false;
        for (PublicJsonWebKey key : selected.candidates()) {
            if (!JwsAlgorithms.fits(alg, key)) {
                continue;
            }
            anyFits = true;
            if (verifies(token, alg, key)) {
                signer = key;
                break;
            }
        }
        if (signer == null) {
            return anyFits ? Refusal.of(Reason.SIGNATURE_INVALID, "signature does not verify under the selected key(s)")
                    : Refusal.of(Reason.KEY_MISMATCH, "alg " + alg + ", key " + describe(selected.candidates().get(0)));
        }
        if (!rules.typ().test(token.typ())) {
            return Refusal.of(Reason.TYPE_NOT_ACCEPTED, "typ " + token.typ() + " is not accepted here");
        }
        return lifetime(token, signer, rules.lifetime(), now);
    }

    /**
     * The first step of {@link #verify} on its own, for a purpose that refuses a forbidden algorithm before its own
     * claim checks (client assertions: {@code none} is named as such whatever the claims): null when allowed.
     */
    public static Refusal algorithm(JwsToken token, JwsRules rules) {
        String alg = token.alg();
        return alg != null && rules.algorithms().contains(alg) ? null
                : Refusal.of(Reason.ALGORITHM_NOT_ALLOWED, "alg " + alg + " is not one of " + rules.algorithms());
    }

    /**
     * RFC 7519 §4.1.3: {@code aud} is a string or an array of strings, and must name one of {@code accepted}. A
     * malformed {@code aud} is {@code CLAIM_MALFORMED}.
     */
    public static Refusal audience(JwsToken token, Set<String> accepted) {
        List<String> aud = JwtClaimValues.strings(token.claim("aud"));
        if (aud == null) {
            return Refusal.claim(Reason.CLAIM_MALFORMED, "aud", "aud is neither a string nor an array of strings");
        }
        if (aud.stream().noneMatch(accepted::contains)) {
            return Refusal.claim(Reason.AUDIENCE_NOT_ACCEPTED, "aud", "aud " + aud + " names none of " + accepted);
        }
        return null;
    }

    /** A cached verification of this very token under this very key stands; otherwise the signature is checked. */
    private static boolean verifies(JwsToken token, String alg, PublicJsonWebKey key) {
        if (token.verifiedBy() != null && (token.verifiedBy() == key.getPublicKey()
                || token.verifiedBy().equals(key.getPublicKey()))) {
            return true;
        }
        try {
            return JwsSignatures.verify(token.signed(), alg, key.getPublicKey());
        } catch (JoseException | RuntimeException e) {
            return false; // a key of the wrong curve or size for alg
        }
    }

    private static JwsResult lifetime(JwsToken token, PublicJsonWebKey key, JwsRules.Lifetime rules, Instant now) {
        if (rules.iatWindow() != null) {
            Object iatValue = token.claim("iat");
            JwtClaimValues.Date iat = JwtClaimValues.date(token, "iat");
            if (iat.refusal() != null || iat.value() == null) {
                return Refusal.claim(Reason.CLAIM_MISSING, "iat", "iat missing or not a number in range: " + iatValue);
            }
            if (iat.value().isBefore(now.minus(rules.iatWindow())) || iat.value().isAfter(now.plus(rules.iatWindow()))) {
                return Refusal.claim(Reason.OUTSIDE_WINDOW, "iat", "iat " + iat.value() + ", now " + now);
            }
            return new JwsResult.Verified(token, key, null);
        }
        JwtClaimValues.Date exp = JwtClaimValues.date(token, "exp");
        if (exp.refusal() != null) {
            return exp.refusal();
        }
        if (exp.value() == null && rules.expRequired()) {
            return Refusal.claim(Reason.CLAIM_MISSING, "exp", "exp claim missing");
        }
        if (exp.value() != null && !now.isBefore(exp.value())) {
            return Refusal.claim(Reason.EXPIRED, "exp", "exp " + exp.value() + " is not after " + now);
        }
        if (exp.value() != null && rules.maxAhead() != null
                && exp.value().isAfter(now.plus(rules.maxAhead()).plus(rules.leeway()))) {
            return Refusal.claim(Reason.LIFETIME_TOO_LONG, "exp", "exp " + exp.value() + ", now " + now);
        }
        for (String name : List.of("nbf", "iat")) {
            JwtClaimValues.Date t = JwtClaimValues.date(token, name);
            if (t.refusal() != null) {
                return t.refusal();
            }
            if (t.value() != null && t.value().isAfter(now.plus(rules.leeway()))) {
                return Refusal.claim(Reason.IN_THE_FUTURE, name, name + " " + t.value() + " is more than "
                        + rules.leeway().toSeconds() + "s after " + now);
            }
        }
        return new JwsResult.Verified(token, key, exp.value());
    }

    private static String describe(PublicJsonWebKey key) {
        return (key.getKeyId() == null ? "" : key.getKeyId() + " ")
                + (key.getAlgorithm() == null ? key.getKeyType() : key.getAlgorithm());
    }
}
