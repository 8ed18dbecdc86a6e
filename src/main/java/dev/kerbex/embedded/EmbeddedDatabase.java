package dev.kerbex.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL of the default run: real server binaries (zonky), data kept under a directory
 * between runs. Never meant for production; the service says so when it starts one.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts (or restarts on its existing data) a server whose data lives in {@code dataDir}, durable: zonky's
     * builder starts the postmaster with {@code -F} (fsync off) and {@code synchronous_commit=off}, which lose
     * committed rows when the server crashes (SPEC §10). The {@code -c} settings come after {@code -F} on the
     * postmaster's command line, and PostgreSQL applies command-line options in order, so these win. A postmaster
     * left running by a killed Kerbex on the same data is stopped first ({@link OrphanPostmaster}).
     */
    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, 0);
    }

    /** As {@link #start(Path)}, on a fixed loopback port ({@code 0}: any free one); tests restart a killed server. */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            OrphanPostmaster.stopIfOwned(dataDir.toAbsolutePath());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toAbsolutePath())
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
            return new EmbeddedDatabase(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Starts a throw-away server in a fresh temporary directory (tests), fast and not durable (fsync and
     * synchronous commit off): never for a test about durability. Services pointed at it must set
     * {@code kerbex.database.allow-non-durable=true}.
     */
    public static EmbeddedDatabase startTemporary() {
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("max_connections", "200")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a temporary embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }
}
