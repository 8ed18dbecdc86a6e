package dev.kerbex.store;

/**
 * What a guarded write did (SPEC §8): done, with the written value (for a deletion, the state before it); or not,
 * because the row is gone, the caller's version is stale, or a natural key (a policy's name, a client id, an issuer)
 * is taken. Whoever answers the caller chooses the status code.
 */
public record Write<T>(Status status, T value) {

    public enum Status {
        DONE, NOT_FOUND, STALE, CONFLICT
    }

    public static <T> Write<T> of(Status status) {
        return new Write<>(status, null);
    }

    public static <T> Write<T> done(T value) {
        return new Write<>(Status.DONE, value);
    }

    public boolean done() {
        return status == Status.DONE;
    }
}
