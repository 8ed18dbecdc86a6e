package dev.kerbex.embedded;

import dev.kerbex.config.KerbexConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * SPEC §10: a decision is durable before its answer leaves. That holds only when the server flushes its WAL at
 * commit: with {@code fsync} or {@code synchronous_commit} off, a crash of PostgreSQL (or of its machine) loses
 * commits that were already acknowledged, so answered tokens lose their audit rows and their AP-REQs their replay
 * entries. At start Kerbex asks the database ({@code SHOW}) and refuses to start when either is off, for any
 * database, embedded or external; {@code kerbex.database.allow-non-durable=true} turns the refusal into a warning
 * (tests on throw-away databases).
 */
@ApplicationScoped
public class DatabaseDurability {
    private static final Logger LOG = Logger.getLogger(DatabaseDurability.class);
    private static final List<String> SETTINGS = List.of("fsync", "synchronous_commit");

    private final DataSource dataSource;
    private final boolean allowNonDurable;

    @Inject
    DatabaseDurability(DataSource dataSource, KerbexConfig config) {
        this(dataSource, config.database().allowNonDurable());
    }

    DatabaseDurability(DataSource dataSource, boolean allowNonDurable) {
        this.dataSource = dataSource;
        this.allowNonDurable = allowNonDurable;
    }

    /** Before the bootstrap file and the demo are applied (priority 10 and 20), before any request is served. */
    void check(@Observes @Priority(1) StartupEvent start) {
        List<String> off = nonDurableSettings();
        if (off.isEmpty()) {
            return;
        }
        String problem = "the database runs with " + String.join(" and ", off) + ": commits Kerbex has answered can be"
                + " lost in a crash (audit rows, replay entries; SPEC §10)";
        if (!allowNonDurable) {
            throw new IllegalStateException(problem + ". Turn them on, or set kerbex.database.allow-non-durable=true"
                    + " for a throw-away database.");
        }
        LOG.warnf("NOT DURABLE: %s. kerbex.database.allow-non-durable=true lets Kerbex run anyway; never in"
                + " production.", problem);
    }

    /** The settings among {@code fsync} and {@code synchronous_commit} that are off, as {@code name=value}. */
    public List<String> nonDurableSettings() {
        List<String> off = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String setting : SETTINGS) {
                try (ResultSet r = s.executeQuery("SHOW " + setting)) {
                    r.next();
                    String value = r.getString(1);
                    // synchronous_commit: local, remote_write, remote_apply and on all flush the local WAL at commit.
                    if ("off".equalsIgnoreCase(value)) {
                        off.add(setting + "=" + value);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the database's durability settings: " + e.getMessage(), e);
        }
        return off;
    }
}
