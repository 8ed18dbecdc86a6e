package dev.kerbex.embedded;

import dev.kerbex.config.KerbexConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Says at start, after the demo's instructions, how to get into the admin API of the embedded default run
 * ({@link EmbeddedAdminAccess}): where the token file is, and the commands that use it. Never the token itself.
 */
@ApplicationScoped
class EmbeddedAdminNotice {
    private static final Logger LOG = Logger.getLogger(EmbeddedAdminNotice.class);

    void onStart(@Observes @Priority(30) StartupEvent event, KerbexConfig config) {
        String dir = System.getProperty(KerbexMain.EMBEDDED_ADMIN_DIR);
        if (dir != null) {
            LOG.info(text(Path.of(dir), config.publicUrl()));
        }
    }

    static String text(Path dir, String url) {
        Path token = dir.resolve(EmbeddedAdminAccess.TOKEN_FILE);
        return """

                ==== Admin API of the embedded default run ====
                A %1$s token for the admin API (valid %2$d hours from now, readable only by you) is in
                   %3$s
                Command line:  bin/kerbex login --url %4$s --embedded %5$s
                               bin/kerbex policies list --tenant demo
                curl:          curl -H "Authorization: Bearer $(cat %3$s)" %4$s/admin/v1/tenants
                Web console:   %4$s/console/
                Its signing key is %6$s: anyone who can read it is an admin here.
                This access exists only on the embedded database with no quarkus.oidc.* configured.
                ================================================================
                """.formatted(EmbeddedAdminAccess.ROLE, EmbeddedAdminAccess.FILE_TOKEN_LIFETIME.toHours(), token, url,
                dir, dir.resolve(EmbeddedAdminAccess.KEY_FILE));
    }
}
