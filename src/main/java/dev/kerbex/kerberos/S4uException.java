package dev.kerbex.kerberos;

import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSException;

/**
 * A refused or failed S4U exchange, sorted into what a Kerberos administrator can act on (SPEC §6). The
 * message names principals and the KDC's answer, never keys or tickets.
 */
public final class S4uException extends Exception {
    public enum Kind {
        /** The KDC refused S4U2Proxy to this target (not in krbAllowedToDelegateTo / msDS-AllowedToDelegateTo). */
        DELEGATION_REFUSED,
        /** The KDC refused S4U2Self: Kerbex's principal may not do protocol transition. */
        PROTOCOL_TRANSITION_REFUSED,
        USER_UNKNOWN,
        TARGET_UNKNOWN,
        CLOCK_SKEW,
        /** No KDC answered: a 503, not the client's fault. */
        KDC_UNREACHABLE,
        /** Kerbex's own keytab or principal does not work. */
        LOGIN_FAILED,
        OTHER
    }

    private final Kind kind;

    S4uException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static S4uException from(String step, String user, String target, GSSException e) {
        String text = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getMinorString())
                + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        Kind kind;
        if (unreachable(text)) {
            kind = Kind.KDC_UNREACHABLE;
        } else if (text.contains("Clock skew") || text.contains("(37)")) {
            kind = Kind.CLOCK_SKEW;
        } else if (text.contains("Client not found") || text.contains("(6)")) {
            kind = "S4U2Self".equals(step) ? Kind.USER_UNKNOWN : Kind.OTHER;
        } else if (text.contains("Server not found") || text.contains("(7)")) {
            kind = Kind.TARGET_UNKNOWN;
        } else if (text.contains("(13)") || text.contains("BADOPTION") || text.contains("can't fulfill")
                || text.contains("(12)") || text.contains("policy")) {
            kind = "S4U2Self".equals(step) ? Kind.PROTOCOL_TRANSITION_REFUSED : Kind.DELEGATION_REFUSED;
        } else {
            kind = Kind.OTHER;
        }
        return new S4uException(kind, step + " for " + user + " to " + target + ": " + text.trim(), e);
    }

    static S4uException fromLogin(String principal, LoginException e) {
        String text = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        return new S4uException(unreachable(text) ? Kind.KDC_UNREACHABLE : Kind.LOGIN_FAILED,
                "login of " + principal + " with its keytab: " + text, e);
    }

    private static boolean unreachable(String text) {
        return text.contains("Cannot contact any KDC") || text.contains("Connection refused")
                || text.contains("Connection reset") || text.contains("Receive timed out")
                || text.contains("SocketTimeout") || text.contains("EOFException") || text.contains("No route to host")
                || text.contains("Network is unreachable");
    }
}
