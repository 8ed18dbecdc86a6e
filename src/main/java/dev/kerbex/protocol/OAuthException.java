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

    public OAuthException(OAuthErrorCode code, String description) {
        this(code, description, description, 0);
    }

    public OAuthException(OAuthErrorCode code, String description, String detail) {
        this(code, description, detail, 0);
    }

    public OAuthException(OAuthErrorCode code, String description, String detail, long retryAfterSeconds) {
        super(code.code() + ": " + description, null, false, false);
        this.code = code;
        this.description = description;
        this.detail = detail == null ? description : detail;
        this.retryAfterSeconds = retryAfterSeconds;
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
}
