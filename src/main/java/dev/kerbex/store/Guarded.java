package dev.kerbex.store;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The one preamble of every guarded write (SPEC §8): the row is read under a row lock, so a concurrent write waits;
 * a row that is gone or belongs to another tenant is {@code NOT_FOUND}; one whose version is no longer the caller's
 * {@code If-Match} is {@code STALE}; only then does {@code change} run, flushed before the caller's audit row.
 */
final class Guarded {
    /** Stands for "whatever the current version is" (a secret rotation does not depend on what was read). */
    static final long ANY_VERSION = Long.MIN_VALUE;

    private Guarded() {
    }

    static EntityManager em() {
        return Panache.getEntityManager();
    }

    /**
     * @param change edits (or removes) the locked row; DONE, or CONFLICT when a natural key it needs is taken
     * @param result the record to answer with, read after the flush (so with the new version)
     */
    static <E, T> Write<T> write(Class<E> type, Object key, Predicate<E> ownedByTenant, ToLongFunction<E> version,
            long expectedVersion, Function<E, Write.Status> change, Function<E, T> result) {
        E e = em().find(type, key, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !ownedByTenant.test(e)) {
            return Write.of(Write.Status.NOT_FOUND);
        }
        if (expectedVersion != ANY_VERSION && version.applyAsLong(e) != expectedVersion) {
            return Write.of(Write.Status.STALE);
        }
        Write.Status status = change.apply(e);
        if (status != Write.Status.DONE) {
            return Write.of(status);
        }
        em().flush();
        return Write.done(result.apply(e));
    }
}
