package dev.kerbex.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.kerbex.kerberos.KerberosSubjectVerifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Not ready while the tenants name Kerberos services and the keytabs hold no key at all: such a replica would
 * refuse every Kerberos exchange (an unreadable keytab, a wrong path, an empty Secret). A service principal the
 * tenants name but the keytabs lack is listed, without failing readiness: the other services still work.
 */
@Readiness
@ApplicationScoped
public class KeytabReadiness implements HealthCheck {
    private final KerberosSubjectVerifier kerberos;
    private final DataSource database;

    KeytabReadiness(KerberosSubjectVerifier kerberos, DataSource database) {
        this.kerberos = kerberos;
        this.database = database;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("keytab");
        Map<String, java.time.Instant> entries = kerberos.keytabEntries();
        r.withData("principals", entries.size());
        Set<String> services;
        try {
            services = tenantServices(database);
        } catch (SQLException e) {
            // The database check reports the database; without it the services are unknown.
            return r.up().withData("services", "unknown: database unavailable").build();
        }
        return judge(r, services, entries.keySet()).build();
    }

    /** DOWN when services are named and no key is held; the named services without a key listed. */
    static HealthCheckResponseBuilder judge(HealthCheckResponseBuilder r, Set<String> services, Set<String> principals) {
        Set<String> missing = new TreeSet<>(services);
        missing.removeAll(principals);
        if (!missing.isEmpty()) {
            r.withData("missing", String.join(", ", missing));
        }
        if (!services.isEmpty() && principals.isEmpty()) {
            return r.down().withData("reason", "the tenants name " + services.size()
                    + " Kerberos services and the keytabs hold no key (kerbex.kerberos.keytabs unreadable or empty?)");
        }
        return r.up();
    }

    static Set<String> tenantServices(DataSource database) throws SQLException {
        Set<String> services = new TreeSet<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT jsonb_array_elements_text(services) FROM tenant")) {
            while (rs.next()) {
                services.add(rs.getString(1));
            }
        }
        return services;
    }
}
