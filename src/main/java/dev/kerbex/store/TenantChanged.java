package dev.kerbex.store;

/**
 * A committed change to a tenant's settings, clients, trusted issuers, policies or keys, made on this replica or
 * another one (CDI event, fired by {@link ChangeFeed}). {@code tenantId} null means every tenant: the feed was
 * not listening for a while and may have missed changes.
 */
public record TenantChanged(String tenantId) {
    public static final TenantChanged EVERY_TENANT = new TenantChanged(null);

    public boolean everyTenant() {
        return tenantId == null;
    }
}
