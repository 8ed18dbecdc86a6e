package dev.kerbex.cli;

/** The exit codes of {@code kerbex}, as README "Command line" documents them for scripts. */
final class ExitCodes {
    static final int OK = 0;
    /** Anything else: an answer the command line did not expect, a local file it cannot read. */
    static final int ERROR = 1;
    /** A command line picocli cannot parse (its own default). */
    static final int USAGE = 2;
    /** Not logged in, or the token was refused (401) or lacks the role (403). */
    static final int AUTH = 3;
    /** The tenant, policy, client, ... does not exist or is not visible to the caller (404). */
    static final int NOT_FOUND = 4;
    /** Someone else changed it first (412), {@code If-Match} missing (428), or a conflicting state (409). */
    static final int CONFLICT = 5;
    /** The API refused the input (400, 413, 415) or the local file is not valid JSON. */
    static final int INVALID = 6;
    /** The service could not be reached, or answered 5xx. */
    static final int UNAVAILABLE = 7;
    /** {@code evaluate}: the described request would be refused. */
    static final int DENIED = 8;

    private ExitCodes() {
    }

    static int forStatus(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409, 412, 428 -> CONFLICT;
            case 400, 413, 415, 422 -> INVALID;
            default -> status >= 500 ? UNAVAILABLE : ERROR;
        };
    }
}
