package dev.kerbex.store;

import dev.kerbex.tenant.Tenant;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Edits take effect at once on every replica (SPEC §7): every committed admin write sends
 * {@code NOTIFY kerbex_changes, '<tenant id>'} in its own transaction (PostgreSQL delivers it only on commit),
 * and each replica keeps one dedicated connection that {@code LISTEN}s on that channel and fires
 * {@link TenantChanged}, which drops the tenant's cached snapshot and signing key. The caches' short lifetimes stay
 * as the fallback while the feed is down; after a reconnect every cached tenant is dropped, since changes made
 * meanwhile were not heard.
 */
@ApplicationScoped
public class ChangeFeed {
    public static final String CHANNEL = "kerbex_changes";
    static final String APPLICATION_NAME = "kerbex-change-feed";
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    private static final int WAIT_MILLIS = 500;
    /** A dead server does not always close the socket: a query now and then finds out. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Event<TenantChanged> events;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile boolean running;
    private volatile Connection connection;
    private volatile boolean listening;
    private Thread thread;

    ChangeFeed(Event<TenantChanged> events, @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.events = events;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** Announces a change of {@code tenantId} to every replica when the caller's transaction commits. */
    static void announce(EntityManager em, String tenantId) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, tenantId);
                ps.execute();
            }
        });
    }

    /** Whether the feed's connection is listening now (for tests and diagnostics). */
    public boolean listening() {
        return listening;
    }

    void start(@Observes StartupEvent event) {
        if (url.isEmpty()) {
            LOG.warn("change feed: no quarkus.datasource.jdbc.url; edits on other replicas arrive within the cache lifetime");
            return;
        }
        running = true;
        thread = new Thread(this::run, APPLICATION_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close(); // wakes the thread blocked in getNotifications
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        if (thread != null) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        boolean lost = false;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                backoff = FIRST_BACKOFF_MILLIS;
                // Changes committed while nobody listened were not heard: forget every cached tenant.
                fire(TenantChanged.EVERY_TENANT);
                if (lost) {
                    LOG.info("change feed: listening again");
                    lost = false;
                } else {
                    LOG.debug("change feed: listening");
                }
                listen(c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    break;
                }
                if (!lost) {
                    LOG.warnf("change feed: not listening (%s); edits on other replicas arrive within the cache lifetime"
                            + " until it reconnects", e.getClass().getSimpleName());
                    lost = true;
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            } finally {
                listening = false;
                connection = null;
            }
        }
        LOG.debug("change feed: stopped");
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastProbe = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    String tenant = n.getParameter();
                    if (tenant != null && Tenant.ID.matcher(tenant).matches()) {
                        fire(new TenantChanged(tenant));
                    }
                }
            }
            if (System.nanoTime() - lastProbe > PROBE_EVERY.toNanos()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                lastProbe = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(url.orElseThrow(), props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL");
        }
        c.setAutoCommit(true);
        return c;
    }

    private void fire(TenantChanged change) {
        try {
            events.fire(change);
        } catch (RuntimeException e) {
            LOG.warnf("change feed: dropping cached state of %s failed: %s",
                    change.everyTenant() ? "every tenant" : change.tenantId(), e.getClass().getSimpleName());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
