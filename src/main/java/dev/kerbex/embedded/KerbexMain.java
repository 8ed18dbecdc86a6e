package dev.kerbex.embedded;

import dev.kerbex.config.EmbeddedRun;
import dev.kerbex.crypto.CryptoProviders;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Entry point of the packaged service. With no {@code quarkus.datasource.jdbc.url} configured it starts
 * the embedded PostgreSQL first (SPEC §11) and hands its URL to Quarkus, which reads runtime
 * configuration only after this method has run.
 */
@QuarkusMain
public final class KerbexMain {
    private static final Logger LOG = Logger.getLogger(KerbexMain.class);

    /** Set to the embedded admin access's directory when it is on ({@link EmbeddedAdminAccess}). */
    public static final String EMBEDDED_ADMIN_DIR = "dev.kerbex.embedded-admin-dir";

    public static void main(String... args) {
        Config config = ConfigProvider.getConfig();
        // First: the embedded database's password, the JDBC driver's SCRAM and every key must already use it.
        CryptoProviders.install(config.getOptionalValue(CryptoProviders.SETTING, String.class).orElse(null));
        Optional<String> url = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class);
        if (url.isPresent()) {
            Quarkus.run(args);
            return;
        }
        Path dir = config.getOptionalValue("kerbex.embedded-db.dir", Path.class).orElse(Path.of(".kerbex/pg"));
        LOG.warnf("No quarkus.datasource.jdbc.url configured: starting an embedded PostgreSQL with its data in %s."
                + " This is for trying Kerbex out, not for production.", dir.toAbsolutePath());
        EmbeddedDatabase db = EmbeddedDatabase.start(dir);
        System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
        System.setProperty("quarkus.datasource.username", db.username());
        System.setProperty("quarkus.datasource.password", db.password());
        System.setProperty(EmbeddedRun.ACTIVE, "true");
        if (EmbeddedAdminAccess.applies(false, name -> config.getOptionalValue(name, String.class).orElse(null))) {
            // Before Quarkus reads its configuration: the admin API's OIDC tenant then trusts the embedded key.
            EmbeddedAdminAccess admin = EmbeddedAdminAccess.prepare(EmbeddedAdminAccess.dirBeside(dir));
            admin.writeToken(Instant.now());
            System.setProperty("quarkus.oidc.public-key", admin.publicKey());
            System.setProperty("quarkus.oidc.token.issuer", EmbeddedAdminAccess.ISSUER);
            System.setProperty(EMBEDDED_ADMIN_DIR, admin.keyFile().getParent().toString());
        }
        Quarkus.run(null, (exitCode, failure) -> {
            if (failure != null) {
                LOG.error("Kerbex failed to start", failure);
            }
            db.close();
            System.exit(exitCode);
        }, args);
    }
}
