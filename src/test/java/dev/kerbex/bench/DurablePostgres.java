package dev.kerbex.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A durable PostgreSQL for whole-request benchmarks (issue 9): the zonky server binaries with {@code fsync=on} and
 * {@code synchronous_commit=on} (zonky's own defaults turn both off), on 127.0.0.1 at a fixed port, until killed.
 *
 * <pre>DIR PORT [name=value ...]   extra server settings, e.g. commit_delay=100 commit_siblings=2</pre>
 */
public final class DurablePostgres {
    private DurablePostgres() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.toAbsolutePath())
                .setCleanDataDirectory(true)
                .setPort(Integer.parseInt(args[1]))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            builder.setServerConfig(kv[0], kv[1]);
        }
        EmbeddedPostgres pg = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String setting : new String[] {"server_version", "fsync", "synchronous_commit", "wal_sync_method",
                    "commit_delay", "commit_siblings"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    System.out.println(setting + " = " + rs.getString(1));
                }
            }
        }
        System.out.println("jdbc:postgresql://127.0.0.1:" + args[1] + "/postgres user postgres, password postgres");
        System.out.flush();
        Thread.currentThread().join();
    }
}
