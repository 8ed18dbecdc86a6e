package dev.kerbex.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The embedded postmaster is a child of pg_ctl, not of the JVM: when Kerbex is killed ({@code kill -9}, OOM killer)
 * it keeps running with init as its parent, holding {@code postmaster.pid}, and the next start fails with
 * {@code lock file "postmaster.pid" already exists}. Before starting, the embedded database looks at that file and
 * stops the postmaster it names, but only when it is certainly the one serving this data directory: the pid file's
 * second line names this directory, the process is alive, is a {@code postgres} executable, and its command line
 * names this directory. Anything else is left alone (PostgreSQL itself then refuses or recovers, as it should).
 */
final class OrphanPostmaster {
    private static final Logger LOG = Logger.getLogger(OrphanPostmaster.class);
    /** A smart shutdown of a server without clients takes well under a second; a checkpoint may take longer. */
    private static final long STOP_WAIT_SECONDS = 60;

    private OrphanPostmaster() {
    }

    /** Stops the postmaster left running on {@code dataDir} by a previous Kerbex, if there is one. */
    static void stopIfOwned(Path dataDir) {
        Optional<ProcessHandle> orphan = find(dataDir);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = orphan.get();
        LOG.warnf("An embedded PostgreSQL (pid %d) is still running on %s, left by a Kerbex that did not stop"
                + " cleanly; stopping it before starting a new one", postmaster.pid(), dataDir);
        // SIGTERM: a smart shutdown; the orphan's only clients were the dead Kerbex's connections.
        postmaster.destroy();
        try {
            postmaster.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("the orphaned PostgreSQL (pid %d) did not stop within %ds; killing it (it recovers from its WAL)",
                    postmaster.pid(), STOP_WAIT_SECONDS);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not stop the orphaned PostgreSQL", e);
        }
    }

    /** The live postmaster that {@code dataDir/postmaster.pid} names, when it serves {@code dataDir}. */
    static Optional<ProcessHandle> find(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + pidFile, e);
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!sameDirectory(Path.of(lines.get(1).trim()), dataDir)) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isPostmasterOf(p, dataDir));
    }

    private static boolean isPostmasterOf(ProcessHandle process, Path dataDir) {
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
        if (!postgres) {
            return false;
        }
        // The pid may have been reused by another server since; its command line names its own data directory.
        String[] args = info.arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-D") && sameDirectory(Path.of(args[i + 1]), dataDir)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
