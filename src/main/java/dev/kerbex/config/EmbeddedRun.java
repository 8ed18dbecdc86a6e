package dev.kerbex.config;

/**
 * Whether this process serves from the embedded PostgreSQL (SPEC §11): the entry point sets it before Quarkus
 * starts, and the components that adapt their defaults to it (the demo realm, the key-encryption key) read it here
 * rather than from the entry point above them.
 */
public final class EmbeddedRun {
    /** The system property the entry point sets while the embedded database serves this process. */
    public static final String ACTIVE = "dev.kerbex.embedded-db-active";

    private EmbeddedRun() {
    }

    public static boolean active() {
        return Boolean.getBoolean(ACTIVE);
    }
}
