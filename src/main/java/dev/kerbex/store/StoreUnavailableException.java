package dev.kerbex.store;

/** PostgreSQL could not be reached or refused the operation: callers answer 503, never 500. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String what, Throwable cause) {
        super(what + " unavailable: " + cause.getMessage(), cause);
    }
}
