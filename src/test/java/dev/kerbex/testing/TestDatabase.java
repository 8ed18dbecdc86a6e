package dev.kerbex.testing;

import dev.kerbex.embedded.EmbeddedDatabase;

/** One throw-away embedded PostgreSQL (real server binaries) per test JVM, stopped at exit. */
public final class TestDatabase {
    /**
     * The key-encryption key of every Kerbex started on this database: the signing keys one start stores must stay
     * readable by the next, since a start refuses stored keys that no configured key-encryption key decrypts.
     */
    public static final String KEY_ENCRYPTION_KEY = randomKey();

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

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
