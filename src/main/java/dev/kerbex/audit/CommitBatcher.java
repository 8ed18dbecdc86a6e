package dev.kerbex.audit;

import dev.kerbex.store.ReplayClaim;
import dev.kerbex.store.StoreUnavailableException;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Group commit in the process (issue 9): requests hand their rows to a few writer threads, each of which takes
 * whatever has queued up while the previous commit was being flushed, writes it in one transaction and commits once.
 * Each request waits for the commit of its own batch, so it still answers only after its rows are durable; what is
 * shared is the WAL flush and the transaction overhead, which are most of the database's work per exchange.
 *
 * <p>A batch that fails after connecting (a row the database refuses, a deadlock between two batches holding each
 * other's replay keys) is retried one request per transaction, so one bad request cannot fail its neighbours; a
 * failure to connect fails the whole batch (503). With no writer threads every request commits alone, in its own
 * thread.
 */
final class CommitBatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CommitBatcher.class);
    private static final int MAX_BATCH = 64;
    /** Longer than the pool's acquisition timeout (5 s): a request gives up only when the database is stuck. */
    private static final long WAIT_SECONDS = 30;

    /** One request's rows: its replay claims, its audit row, and the row to write instead if a claim is a replay. */
    record Unit(List<ReplayClaim> claims, AuditEvent event, Function<ReplayClaim, AuditEvent> onReplay) {
    }

    /** Writes units on a connection inside an open transaction, in order; returns the replayed claim or null of each. */
    interface Writer {
        List<ReplayClaim> write(Connection c, List<Unit> units) throws SQLException;
    }

    private record Pending(Unit unit, CompletableFuture<ReplayClaim> done) {
    }

    private final AgroalDataSource dataSource;
    private final Writer writer;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    CommitBatcher(AgroalDataSource dataSource, Writer writer, int writerThreads) {
        this.dataSource = dataSource;
        this.writer = writer;
        for (int i = 0; i < writerThreads; i++) {
            Thread t = new Thread(this::run, "kerbex-commits-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Requests waiting for a writer (for tests). */
    int queued() {
        return queue.size();
    }

    ReplayClaim commit(Unit unit) {
        if (threads.isEmpty()) {
            try {
                return writeTogether(List.of(unit)).get(0);
            } catch (SQLException e) {
                throw new StoreUnavailableException("audit trail", e);
            }
        }
        if (closed) {
            throw new StoreUnavailableException("audit trail", new SQLException("shutting down"));
        }
        Pending p = new Pending(unit, new CompletableFuture<>());
        queue.add(p);
        try {
            return p.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreUnavailableException s ? s : new StoreUnavailableException("audit trail", e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("audit trail", new SQLException("no commit within " + WAIT_SECONDS + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("audit trail", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commitBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never lose the thread: every waiter of the batch is told, the next batch starts afresh.
                LOG.errorf(e, "commit batch failed unexpectedly");
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commitBatch(List<Pending> batch) {
        try {
            List<ReplayClaim> results = writeTogether(batch.stream().map(Pending::unit).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(results.get(i));
            }
        } catch (NotConnected e) {
            StoreUnavailableException failure = new StoreUnavailableException("audit trail", e.getCause());
            batch.forEach(p -> p.done().completeExceptionally(failure));
        } catch (SQLException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(new StoreUnavailableException("audit trail", e));
                return;
            }
            // The SQLSTATE only: a batch's message quotes the statement with its parameters.
            LOG.debugf("a batch of %d commits failed (%s); committing them one by one", batch.size(),
                    e instanceof SQLException sql ? "SQLSTATE " + sql.getSQLState() : e.getClass().getSimpleName());
            for (Pending p : batch) {
                try {
                    p.done().complete(writeTogether(List.of(p.unit())).get(0));
                } catch (SQLException | RuntimeException alone) {
                    p.done().completeExceptionally(new StoreUnavailableException("audit trail", alone));
                }
            }
        }
    }

    /** One transaction for all {@code units}, in order; a result (replayed claim or null) per unit. */
    private List<ReplayClaim> writeTogether(List<Unit> units) throws SQLException {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new NotConnected(e);
        }
        try (c) {
            c.setAutoCommit(false);
            try {
                List<ReplayClaim> results = writer.write(c, units);
                c.commit();
                return results;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool discards it
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // as above
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new StoreUnavailableException("audit trail", new SQLException("shutting down")));
        }
    }

    /** The database could not be reached at all: retrying each request alone would only multiply the wait. */
    private static final class NotConnected extends SQLException {
        NotConnected(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }
}
