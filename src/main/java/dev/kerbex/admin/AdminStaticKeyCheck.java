package dev.kerbex.admin;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Stops the start, with one line and no stack trace, when {@link AdminOidcDefaults} refused the static admin key. */
@ApplicationScoped
class AdminStaticKeyCheck {
    private static final Logger LOG = Logger.getLogger(AdminStaticKeyCheck.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = AdminOidcDefaults.REFUSED_KEY) Optional<String> refused) {
        refused.ifPresent(line -> {
            LOG.error(line);
            Quarkus.asyncExit(1);
        });
    }
}
