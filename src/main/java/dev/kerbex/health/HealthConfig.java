package dev.kerbex.health;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When the readiness report starts warning about old keys (README "Health"). */
@ConfigMapping(prefix = "kerbex.health")
public interface HealthConfig {
    /** Age at which a tenant's active signing key should have been rotated. */
    @WithDefault("P90D")
    Duration signingKeyMaxAge();

    /** Age at which a keytab entry should have been replaced (the service account's password policy). */
    @WithDefault("P180D")
    Duration keytabMaxAge();

    /** How long before those ages the report warns. */
    @WithDefault("P14D")
    Duration warnBefore();
}
