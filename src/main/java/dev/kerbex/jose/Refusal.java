package dev.kerbex.jose;

/**
 * Why a JWS was refused, as a value: the step that failed, the claim it concerns (for the claim steps) and a detail
 * for the audit trail (claim values, never the token). Each purpose words it for its clients, since the descriptions
 * are part of the API ({@code SubjectRefusals}, {@code ClientAssertionVerifier}, {@code DpopProofVerifier}).
 */
public record Refusal(Reason reason, String claim, String detail) implements ParsedJws, JwsResult {

    /** The step that refused, in pipeline order. */
    public enum Reason {
        /** Longer than the purpose's bound, checked before anything is decoded. */
        TOO_LONG,
        /** Not a compact JWS with a JSON object as payload, or a header member of the wrong type. */
        MALFORMED,
        ALGORITHM_NOT_ALLOWED,
        /** No key is known for the token (none under its {@code kid}, or none registered). */
        UNKNOWN_KEY,
        /** The keys could not be had at all (a trusted issuer's JWKS fetch failed): a temporary failure. */
        KEYS_UNAVAILABLE,
        /** Keys were found, but none fits the algorithm. */
        KEY_MISMATCH,
        SIGNATURE_INVALID,
        /** {@code typ} of another kind of JWT (RFC 8725 §3.11). */
        TYPE_NOT_ACCEPTED,
        /** {@link #claim()} is present but not of its type (or a date out of range). */
        CLAIM_MALFORMED,
        /** {@link #claim()} is required and absent. */
        CLAIM_MISSING,
        /** {@code exp} has passed. */
        EXPIRED,
        /** {@code exp} is further ahead than the purpose allows. */
        LIFETIME_TOO_LONG,
        /** {@link #claim()} ({@code nbf} or {@code iat}) is further ahead than the leeway. */
        IN_THE_FUTURE,
        /** {@code iat} is not within the purpose's window of now, either way (DPoP). */
        OUTSIDE_WINDOW,
        /** {@code aud} names none of the accepted audiences. */
        AUDIENCE_NOT_ACCEPTED
    }

    static Refusal of(Reason reason, String detail) {
        return new Refusal(reason, null, detail);
    }

    static Refusal claim(Reason reason, String claim, String detail) {
        return new Refusal(reason, claim, detail);
    }
}
