package dev.kerbex.kerberos;

import javax.security.auth.login.LoginException;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;

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
        /** Kerbex's TGT expired between login and use: log in again. */
        TGT_EXPIRED,
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

    /** A KRB-ERROR from the KDC (RFC 4120 §7.5.9 codes), sorted by the step that got it. */
    static S4uException fromKdc(String step, String user, String target, int code, String etext) {
        boolean self = "S4U2Self".equals(step);
        Kind kind = switch (code) {
            case 6 -> self ? Kind.USER_UNKNOWN : Kind.OTHER;
            case 7 -> self ? Kind.OTHER : Kind.TARGET_UNKNOWN;
            case 12, 13, 16 -> self ? Kind.PROTOCOL_TRANSITION_REFUSED : Kind.DELEGATION_REFUSED;
            case 32 -> Kind.TGT_EXPIRED;
            case 37 -> Kind.CLOCK_SKEW;
            default -> Kind.OTHER;
        };
        String name = name(code);
        return new S4uException(kind, step + " for " + user + " to " + target + ": the KDC answered error " + code
                + (name == null ? "" : " " + name) + (etext == null || etext.isBlank() ? "" : " (" + etext.strip() + ")"),
                null);
    }

    private static String name(int code) {
        try {
            KrbErrorCode c = KrbErrorCode.fromValue(code);
            return c == null ? null : c.name();
        } catch (RuntimeException e) {
            return null;
        }
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
