package dev.kerbex.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.kerbex.kerberos.KerberosSubjectVerifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Warns before a key ages out: a tenant's active signing key older than {@code kerbex.health.signing-key-max-age}
 * minus {@code warn-before}, a keytab principal whose newest entry is older than {@code keytab-max-age} minus
 * {@code warn-before}. Always UP (an old key still works); the warnings are for the operator's alerting
 * (docs/runbooks/).
 */
@Readiness
@ApplicationScoped
public class KeyAgeReadiness implements HealthCheck {
    private final KerberosSubjectVerifier kerberos;
    private final DataSource database;
    private final HealthConfig config;
    private final Clock clock;

    KeyAgeReadiness(KerberosSubjectVerifier kerberos, DataSource database, HealthConfig config, Clock clock) {
        this.kerberos = kerberos;
        this.database = database;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("key-ages").up();
        Map<String, Instant> signingKeys = new TreeMap<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tenant_id, created_at FROM signing_key WHERE status = 'active'")) {
            while (rs.next()) {
                signingKeys.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        } catch (SQLException e) {
            r.withData("signing-keys", "unknown: database unavailable");
        }
        List<String> warnings = warnings(kerberos.keytabEntries(), signingKeys, config, clock.instant());
        r.withData("warnings", warnings.size());
        for (int i = 0; i < warnings.size(); i++) {
            r.withData("warning-" + (i + 1), warnings.get(i));
        }
        return r.build();
    }

    /** The warnings for keytab entries and active signing keys (by principal, by tenant) written at those times. */
    static List<String> warnings(Map<String, Instant> keytab, Map<String, Instant> signingKeys, HealthConfig config,
            Instant now) {
        List<String> warnings = new ArrayList<>();
        keytab.forEach((principal, written) -> warn(warnings, "keytab entry " + principal, written,
                config.keytabMaxAge(), config.warnBefore(), now));
        signingKeys.forEach((tenant, created) -> warn(warnings, "signing key of tenant " + tenant, created,
                config.signingKeyMaxAge(), config.warnBefore(), now));
        return warnings;
    }

    private static void warn(List<String> warnings, String what, Instant written, Duration maxAge, Duration warnBefore,
            Instant now) {
        Instant agesOut = written.plus(maxAge);
        if (!now.isBefore(agesOut.minus(warnBefore))) {
            long days = Duration.between(written, now).toDays();
            warnings.add(what + " is " + days + " days old" + (now.isBefore(agesOut)
                    ? ", ages out " + agesOut + ": rotate it" : ", past its maximum age " + maxAge.toDays() + " days: rotate it"));
        }
    }
}
