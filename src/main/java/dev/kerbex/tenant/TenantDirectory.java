package dev.kerbex.tenant;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.store.TenantStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenant snapshots for the token endpoint, cached for one second: a policy edit reaches every replica's
 * decisions within about a second (SPEC §7) while a busy tenant costs the database a few reads a second.
 */
@ApplicationScoped
public class TenantDirectory {
    public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Duration STALENESS = Duration.ofSeconds(1);

    private final TenantStore store;
    private final LoadingCache<String, Optional<TenantSnapshot>> cache;

    public TenantDirectory(TenantStore store) {
        this.store = store;
        this.cache = Caffeine.newBuilder().expireAfterWrite(STALENESS).maximumSize(10_000).build(this::load);
    }

    public Optional<TenantSnapshot> find(String tenantId) {
        if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
            return Optional.empty();
        }
        return cache.get(tenantId);
    }

    /** Drops this replica's copy at once (after a local edit). */
    public void invalidate(String tenantId) {
        cache.invalidate(tenantId);
    }

    private Optional<TenantSnapshot> load(String tenantId) {
        try {
            return store.snapshot(tenantId);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("tenant store", e);
        }
    }
}
