package dev.kerbex.protocol;

/**
 * The one exception type for protocol errors. {@code description} goes to the client and names the
 * parameter and the cause category, never a value; {@code detail} goes only to the audit trail.
 */
public final class OAuthException extends RuntimeException {
    private final OAuthErrorCode code;
    private final String description;
    private final String detail;
    private final long retryAfterSeconds;
    private final boolean audited;
    private final String dpopNonce;

    public OAuthException(OAuthErrorCode code, String description) {
        this(code, description, description, 0);
    }

    public OAuthException(OAuthErrorCode code, String description, String detail) {
        this(code, description, detail, 0);
    }

    public OAuthException(OAuthErrorCode code, String description, String detail, long retryAfterSeconds) {
        this(code, description, detail, retryAfterSeconds, true);
    }

    /**
     * @param audited false for a refusal that is not written to the audit trail: a repeat within a window whose
     *                first refusal already was (throttled client authentication)
     */
    public OAuthException(OAuthErrorCode code, String description, String detail, long retryAfterSeconds,
            boolean audited) {
        this(code, description, detail, retryAfterSeconds, audited, null);
    }

    private OAuthException(OAuthErrorCode code, String description, String detail, long retryAfterSeconds,
            boolean audited, String dpopNonce) {
        super(code.code() + ": " + description, null, false, false);
        this.dpopNonce = dpopNonce;
        this.audited = audited;
        this.code = code;
        this.description = description;
        this.detail = detail == null ? description : detail;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** RFC 9449 §8: {@code use_dpop_nonce}, answered with the nonce to use in a {@code DPoP-Nonce} header. */
    public static OAuthException useDpopNonce(String description, String detail, String nonce) {
        return new OAuthException(OAuthErrorCode.USE_DPOP_NONCE, description, detail, 0, true, nonce);
    }

    /** The {@code DPoP-Nonce} the answer carries; null for none. */
    public String dpopNonce() {
        return dpopNonce;
    }

    public OAuthErrorCode code() {
        return code;
    }

    public String description() {
        return description;
    }

    public String detail() {
        return detail;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public boolean audited() {
        return audited;
    }
}
