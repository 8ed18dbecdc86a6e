package dev.kerbex.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 10, defect 1: the embedded default database must be durable (zonky's builder starts it with {@code -F} and
 * {@code synchronous_commit=off}), and Kerbex must refuse a database that is not.
 */
class EmbeddedDatabaseTest {

    private static PGSimpleDataSource dataSource(EmbeddedDatabase db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.username());
        ds.setPassword(db.password());
        return ds;
    }

    private static String show(PGSimpleDataSource ds, String setting) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW " + setting)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void embeddedDefaultWhenStartedThenFsyncAndSynchronousCommitOn(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"))) {
            PGSimpleDataSource ds = dataSource(db);
            assertThat(show(ds, "fsync")).isEqualTo("on");
            assertThat(show(ds, "synchronous_commit")).isEqualTo("on");
            assertThat(show(ds, "full_page_writes")).isEqualTo("on");
            assertThat(new DatabaseDurability(ds, false).nonDurableSettings()).isEmpty();
        }
    }

    @Test
    void startWhenDatabaseNotDurableThenRefused() {
        try (EmbeddedDatabase db = EmbeddedDatabase.startTemporary()) {
            DatabaseDurability check = new DatabaseDurability(dataSource(db), false);
            assertThat(check.nonDurableSettings()).containsExactly("fsync=off", "synchronous_commit=off");
            assertThatThrownBy(() -> check.check(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the database runs with fsync=off and synchronous_commit=off:")
                    .hasMessageContaining("kerbex.database.allow-non-durable=true");
        }
    }

    @Test
    void startWhenDatabaseNotDurableAndAllowedThenStartsWithWarning() {
        try (EmbeddedDatabase db = EmbeddedDatabase.startTemporary()) {
            new DatabaseDurability(dataSource(db), true).check(null);
        }
    }

    @Test
    void orphanWhenPidFileNamesAnotherDirectoryThenLeftAlone(@TempDir Path dir) throws Exception {
        // A pid file copied from elsewhere, or a reused pid: never a reason to stop a process.
        Path data = Files.createDirectories(dir.resolve("pg"));
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n/somewhere/else\n");
        assertThat(OrphanPostmaster.find(data)).isEmpty();
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");
        assertThat(OrphanPostmaster.find(data)).as("this JVM is not a postgres serving the directory").isEmpty();
    }
}
