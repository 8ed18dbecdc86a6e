package dev.kerbex.demo;

import dev.kerbex.bootstrap.TenantProvisioner;
import dev.kerbex.config.EmbeddedRun;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.kerberos.DemoKdc;
import dev.kerbex.kerberos.KeytabSource;
import dev.kerbex.representation.ClientRepresentation;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TenantRepresentation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The demo of the embedded default run: an in-JVM KDC, a {@code demo} tenant with a client and a policy, and
 * instructions printed at start for trying an exchange with MIT {@code kinit} and {@code curl --negotiate}.
 * On ({@code auto}) only when Kerbex runs on its embedded database and no bootstrap file is configured.
 */
@ApplicationScoped
public class DemoRealm implements KeytabSource {
    private static final Logger LOG = Logger.getLogger(DemoRealm.class);
    public static final String TENANT = "demo";
    public static final String CLIENT_ID = "demo-client";
    public static final String CLIENT_SECRET = "demo-client-secret";
    public static final String AUDIENCE = "https://api.demo.test";

    private final DemoKdc kdc;
    private final KerbexConfig config;
    private final int httpPort;

    public DemoRealm(KerbexConfig config, @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort) {
        this.config = config;
        this.httpPort = httpPort;
        this.kdc = enabled(config) ? DemoKdc.start(config.demo().dir(), config.demo().kdcPort()) : null;
    }

    static boolean enabled(KerbexConfig config) {
        return switch (config.demo().enabled()) {
            case "true" -> true;
            case "false" -> false;
            default -> EmbeddedRun.active() && config.bootstrapFile().isEmpty();
        };
    }

    /** The demo service keytab, when the demo runs. */
    @Override
    public List<Path> keytabs() {
        return kdc == null ? List.of() : List.of(kdc.keytab());
    }

    void onStart(@Observes @Priority(20) StartupEvent event, TenantProvisioner provisioner) {
        if (kdc == null) {
            return;
        }
        provisioner.apply(List.of(tenant()), "demo");
        LOG.info(instructions());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (kdc != null) {
            kdc.close();
        }
    }

    static TenantRepresentation tenant() {
        PolicyRepresentation policy = new PolicyRepresentation(null, null, "demo-users-read-api",
                "Anyone of the demo realm may get a 15-minute api:read token for the demo API", "allow", 100,
                new PolicyRepresentation.Match(List.of("*"), List.of("urn:kerbex:token-type:kerberos-ap-req"),
                        List.of("*@" + DemoKdc.REALM), null, List.of(AUDIENCE), null, null, null, null),
                new PolicyRepresentation.Grant(List.of("api:read", "api:write"), List.of("api:read"), "PT15M",
                        Map.of("realm", "${realm}"), null, null, null, null, null));
        return new TenantRepresentation(TENANT, List.of(DemoKdc.REALM), List.of(DemoKdc.SERVICE), null, "PT1H", null,
                List.of(new ClientRepresentation(CLIENT_ID, CLIENT_SECRET, null, null, null, null),
                        new ClientRepresentation("demo-service", null, DemoKdc.SELF_EXCHANGE_SERVICE, null, null, null)),
                null, List.of(policy));
    }

    private String instructions() {
        String url = "http://localhost:" + httpPort + "/tenants/" + TENANT + "/oauth2/token";
        String conf = kdc.krb5Conf().toAbsolutePath().toString();
        return """

                ==== Kerbex demo realm %1$s (in-JVM KDC on 127.0.0.1:%2$d) ====
                Tenant "%3$s", client %4$s / %5$s, policy: *@%1$s may get api:read for %6$s.

                1) With MIT Kerberos tools and curl (apt-get install krb5-user curl):
                   export KRB5_CONFIG=%7$s
                   echo %8$s | kinit %9$s
                   curl --negotiate -u : %10$s \\
                     -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\
                     -d subject_token_type=urn:kerbex:token-type:kerberos-ap-req \\
                     -d audience=%6$s -d client_id=%4$s -d client_secret=%5$s

                2) With only a JDK: make a base64 AP-REQ and send it as subject_token:
                   TOKEN=$(java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' \\
                     dev.kerbex.kerberos.ApReqTool --krb5-conf %7$s --principal %9$s --password %8$s \\
                     --service %11$s)
                   curl %10$s -u %4$s:%5$s \\
                     -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\
                     -d subject_token_type=urn:kerbex:token-type:kerberos-ap-req \\
                     --data-urlencode subject_token=$TOKEN -d audience=%6$s -d scope=api:read

                JWKS: http://localhost:%12$d/tenants/%3$s/oauth2/jwks
                ================================================================
                """.formatted(DemoKdc.REALM, config.demo().kdcPort(), TENANT, CLIENT_ID, CLIENT_SECRET, AUDIENCE, conf,
                DemoKdc.USER_PASSWORD, DemoKdc.USER, url, DemoKdc.SERVICE, httpPort);
    }
}
