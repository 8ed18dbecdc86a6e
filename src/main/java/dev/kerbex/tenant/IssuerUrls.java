package dev.kerbex.tenant;

import dev.kerbex.config.KerbexConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Issuer and endpoint URLs of a tenant, always from {@code kerbex.public-url}, never from request headers (SPEC §1). */
@ApplicationScoped
public class IssuerUrls {
    private final String base;

    public IssuerUrls(KerbexConfig config) {
        String url = config.publicUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String issuer(String tenantId) {
        return base + "/tenants/" + tenantId;
    }

    public String endpoint(String tenantId, String name) {
        return issuer(tenantId) + "/oauth2/" + name;
    }
}
