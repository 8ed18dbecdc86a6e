package dev.kerbex.protocol;

/** RFC 6749 §5.2 error codes (plus RFC 8693 §2.2.2 {@code invalid_target}, RFC 9449 §5 {@code invalid_dpop_proof}), each with its fixed HTTP status (SPEC §4). */
public enum OAuthErrorCode {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    /** SPEC §2: an AP-REQ subject requested with no token and no {@code Authorization: Negotiate}: RFC 4559 challenge. */
    NEGOTIATE("invalid_request", 401),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_TARGET("invalid_target", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** RFC 9449 §5: the DPoP proof of a token request is invalid. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    /** RFC 9449 §8: the proof lacks a current server nonce; the answer carries one in {@code DPoP-Nonce}. */
    USE_DPOP_NONCE("use_dpop_nonce", 400),
    /** Rate limited: 429 with Retry-After. */
    RATE_LIMITED("temporarily_unavailable", 429),
    /** Database or KDC unavailable. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int status;

    OAuthErrorCode(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The value of the {@code error} member. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
