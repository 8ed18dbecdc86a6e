package dev.kerbex.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tenant a request path names, for the log context: a well-formed tenant id or nothing. */
class RequestIdsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "/tenants/acme/oauth2/token, acme",
            "/tenants/acme-2, acme-2",
            "/admin/v1/tenants/acme/policies, acme",
            "/admin/tenants/acme/policies, none",
            "/tenants//oauth2/token, none",
            "/tenants/-acme/oauth2/token, none",
            "/tenants/ACME/oauth2/token, none",
            "/tenants/a%20b/oauth2/token, none",
            "/tenants/a\"b/oauth2/token, none",
            "/oauth2/token, none",
            "/q/health, none",
            "none, none",
            "/tenants/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x, "
                    + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "/tenants/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x, none",
    })
    void tenantOfWhenPathThenWellFormedTenantOrNone(String path, String tenant) {
        assertThat(RequestIds.tenantOf(path)).isEqualTo(tenant);
    }
}
