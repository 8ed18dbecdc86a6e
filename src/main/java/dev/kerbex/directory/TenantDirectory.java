package dev.kerbex.directory;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.store.TenantChanged;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;

/**
 * Tenant snapshots for the token endpoint, cached briefly ({@code kerbex.tenant-cache-ttl}, one second) so a busy
 * tenant costs the database a few reads a second. An edit drops the tenant's copy at once: on this replica
 * directly, on the others through the change feed ({@link TenantChanged}); the lifetime bounds staleness when the
 * feed is down (SPEC §7).
 */
@ApplicationScoped
public class TenantDirectory {
    private final TenantSnapshots store;
    private final LoadingCache<String, Optional<TenantSnapshot>> cache;

    public TenantDirectory(TenantSnapshots store, KerbexConfig config) {
        this.store = store;
        Duration ttl = config.tenantCacheTtl();
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl.isNegative() ? Duration.ZERO : ttl).maximumSize(10_000)
                .build(this::load);
    }

    public Optional<TenantSnapshot> find(String tenantId) {
        if (tenantId == null || !Tenant.ID.matcher(tenantId).matches()) {
            return Optional.empty();
        }
        return cache.get(tenantId);
    }

    /** Drops this replica's copy at once (after a local edit). */
    public void invalidate(String tenantId) {
        cache.invalidate(tenantId);
    }

    /** A change committed on any replica (the change feed), or a feed that may have missed some. */
    void onChange(@Observes TenantChanged change) {
        if (change.everyTenant()) {
            cache.invalidateAll();
        } else {
            cache.invalidate(change.tenantId());
        }
    }

    private Optional<TenantSnapshot> load(String tenantId) {
        try {
            return store.load(tenantId);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("tenant store", e);
        }
    }
}
