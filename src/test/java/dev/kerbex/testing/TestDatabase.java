package dev.kerbex.testing;

import dev.kerbex.embedded.EmbeddedDatabase;

/** One throw-away embedded PostgreSQL (real server binaries) per test JVM, stopped at exit. */
public final class TestDatabase {
    private static EmbeddedDatabase instance;

    private TestDatabase() {
    }

    public static synchronized EmbeddedDatabase get() {
        if (instance == null) {
            instance = EmbeddedDatabase.startTemporary();
            EmbeddedDatabase started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-db-stop"));
        }
        return instance;
    }
}
