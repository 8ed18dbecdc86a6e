package dev.kerbex.kerberos;

import java.util.Objects;

/**
 * A subject token failed Kerberos verification. {@link #reason()} is a stable category,
 * {@link #description()} is safe to show to the client (it never carries token bytes or keys) and
 * {@link #detail()} is for the audit trail only.
 */
public final class KerberosVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Stable failure categories. */
    public enum Reason {
        MALFORMED, TOO_LARGE, WRONG_SERVICE, NO_KEY, WEAK_ENCTYPE, DECRYPT_FAILED,
        EXPIRED, NOT_YET_VALID, CLOCK_SKEW, CLIENT_MISMATCH, REPLAYED, FOREIGN_REALM, INVALID_TICKET,
        /** The ticket's PAC (SPEC §5a) is malformed or names another client. */
        PAC_INVALID,
        /** The PAC's server signature does not verify with the service key. */
        PAC_SIGNATURE
    }

    private final Reason reason;
    private final String description;
    private final String detail;

    public KerberosVerificationException(Reason reason, String description) {
        this(reason, description, description);
    }

    public KerberosVerificationException(Reason reason, String description, String detail) {
        // No cause and no stack trace: these are expected outcomes, and a cause from a parser could
        // carry token bytes in its message.
        super(reason + ": " + description, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.description = Objects.requireNonNull(description, "description");
        this.detail = detail == null ? description : detail;
    }

    public Reason reason() {
        return reason;
    }

    public String description() {
        return description;
    }

    public String detail() {
        return detail;
    }
}
