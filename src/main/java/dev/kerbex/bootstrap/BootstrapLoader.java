package dev.kerbex.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.representation.TenantRepresentation;
import dev.kerbex.store.ClientRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/** Applies {@code kerbex.bootstrap-file} at start; an invalid file stops the start (SPEC §12). */
@ApplicationScoped
public class BootstrapLoader {
    private static final Logger LOG = Logger.getLogger(BootstrapLoader.class);

    private final KerbexConfig config;
    private final ObjectMapper json;
    private final TenantProvisioner provisioner;
    private final ClientRepository clients;

    public BootstrapLoader(KerbexConfig config, ObjectMapper json, TenantProvisioner provisioner, ClientRepository clients) {
        this.config = config;
        this.json = json;
        this.provisioner = provisioner;
        this.clients = clients;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        config.bootstrapFile().ifPresent(this::apply);
    }

    public void apply(Path file) {
        List<TenantRepresentation> tenants = BootstrapFile.read(file, json, System::getenv, clients::ids);
        int changed = provisioner.apply(tenants, "bootstrap-file");
        LOG.infof("kerbex.bootstrap-file %s: %d tenant(s), %d object(s) created or changed", file, tenants.size(), changed);
    }
}
