package dev.kerbex.testing;

import dev.kerbex.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@code @QuarkusTest} of Kerbex runs against: the JVM's embedded PostgreSQL, the JVM's Kerby KDC
 * (realm EXAMPLE.TEST) and a bootstrap file declaring the {@code acme} and {@code globex} tenants.
 */
public class KerbexTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String TENANT = "acme";
    public static final String OTHER_TENANT = "globex";
    public static final String BILLING = "billing";
    public static final String BILLING_SECRET = "billing-secret-0123";
    public static final String REPORTING = "reporting";
    public static final String REPORTING_SECRET = "reporting-secret-0123";
    public static final String NO_EXCHANGE = "no-exchange";
    public static final String NO_EXCHANGE_SECRET = "no-exchange-secret-0123";
    public static final String THROTTLED = "throttled";
    public static final String THROTTLED_SECRET = "throttled-secret-0123";
    public static final String LEDGER = "https://ledger.example.test";
    public static final String PAYROLL = "https://payroll.example.test";
    /** Token-to-token exchange (issue 5): APIs reached by a chain Kerberos → JWT → narrower JWT. */
    public static final String REPORTS = "https://reports.example.test";
    public static final String ARCHIVE = "https://archive.example.test";
    public static final String VAULT = "https://vault.example.test";
    /** The API behind {@link #REPORTS}: accepts JWTs whose aud is REPORTS and exchanges them onwards. */
    public static final String REPORTS_API = "reports-api";
    public static final String REPORTS_API_SECRET = "reports-api-secret-0123";
    /** The API behind {@link #ARCHIVE}. */
    public static final String ARCHIVE_API = "archive-api";
    public static final String ARCHIVE_API_SECRET = "archive-api-secret-0123";
    /** Trusted external issuers (issue 5): reports-api exchanges {@link TestIdp}'s tokens for this audience. */
    public static final String PARTNER = "https://partner.example.test";
    /** DPoP (issue 5): an API whose policy requires DPoP-bound tokens, and one whose policy requires mTLS binding. */
    public static final String DPOP_API = "https://dpop.example.test";
    public static final String MTLS_API = "https://mtls.example.test";

    @Override
    public Map<String, String> start() {
        EmbeddedDatabase db = database();
        TestKdc kdc = GssTokens.configureJdk();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        config.put("quarkus.datasource.username", db.username());
        config.put("quarkus.datasource.password", db.password());
        config.put("kerbex.kerberos.keytabs", kdc.serviceKeytab().toString());
        config.put("kerbex.bootstrap-file", writeBootstrap(kdc).toString());
        // One key for every start on the JVM's database: a start refuses stored signing keys it cannot decrypt.
        config.put("kerbex.key-encryption-key", TestDatabase.KEY_ENCRYPTION_KEY);
        config.put("kerbex.demo.enabled", "false");
        config.putAll(AdminTokens.config());
        return config;
    }

    /** The PostgreSQL to run against: the JVM's shared one; a subclass may start its own. */
    protected EmbeddedDatabase database() {
        return TestDatabase.get();
    }

    @Override
    public void stop() {
        // The database and the KDC live for the whole JVM; their shutdown hooks stop them.
    }

    private static Path writeBootstrap(TestKdc kdc) {
        TestIdp idp = TestIdp.get();
        String json = """
                {"tenants": [
                  {"id": "acme",
                   "realms": ["EXAMPLE.TEST"],
                   "services": ["%1$s"],
                   "max_token_lifetime": "PT1H",
                   "clients": [
                     {"client_id": "billing", "secret": "billing-secret-0123", "kerberos_principal": "%2$s"},
                     {"client_id": "reporting", "secret": "reporting-secret-0123"},
                     {"client_id": "no-exchange", "secret": "no-exchange-secret-0123", "grant_types": []},
                     {"client_id": "throttled", "secret": "throttled-secret-0123", "rate_limit": 2},
                     {"client_id": "reports-api", "secret": "reports-api-secret-0123",
                      "audiences": ["https://reports.example.test"]},
                     {"client_id": "archive-api", "secret": "archive-api-secret-0123",
                      "audiences": ["https://archive.example.test"]},
                     {"client_id": "keyed", "jwks": %12$s}
                   ],
                   "policies": [
                     {"name": "ledger", "effect": "allow", "priority": 100,
                      "match": {"clients": ["billing", "reporting", "throttled", "keyed"],
                                "subject_token_types": ["urn:kerbex:token-type:kerberos-ap-req"],
                                "subjects": ["*@EXAMPLE.TEST"],
                                "audiences": ["https://ledger.example.test"]},
                      "grant": {"scopes": ["ledger:read", "ledger:write"], "default_scopes": ["ledger:read"],
                                "max_lifetime": "PT10M", "claims": {"dept": "billing", "who": "${principal}"}}},
                     {"name": "no-payroll-for-reporting", "effect": "deny", "priority": 1,
                      "match": {"clients": ["reporting"], "audiences": ["https://payroll.example.test"]}},
                     {"name": "payroll", "effect": "allow", "priority": 50,
                      "match": {"clients": ["*"], "subjects": ["alice@EXAMPLE.TEST"],
                                "audiences": ["https://payroll.example.test"]},
                      "grant": {"scopes": ["payroll:read"], "default_scopes": ["payroll:read"]}},
                     {"name": "reports-from-kerberos", "effect": "allow", "priority": 100,
                      "match": {"clients": ["billing"],
                                "subject_token_types": ["urn:kerbex:token-type:kerberos-ap-req"],
                                "subjects": ["*@EXAMPLE.TEST"], "audiences": ["https://reports.example.test"]},
                      "grant": {"scopes": ["reports:read", "reports:write", "reports:export"],
                                "default_scopes": ["reports:read", "reports:write"], "max_lifetime": "PT10M"}},
                     {"name": "archive-impersonation", "effect": "allow", "priority": 100,
                      "match": {"clients": ["reports-api"], "subject_token_types": [%4$s],
                                "issuers": ["%5$s"], "subjects": ["*@EXAMPLE.TEST"],
                                "audiences": ["https://archive.example.test"]},
                      "grant": {"scopes": ["reports:read", "reports:write", "archive:write"],
                                "default_scopes": ["reports:read"], "max_lifetime": "PT5M",
                                "claims": {"origin": "${krb_principal}"}}},
                     {"name": "archive-delegation", "effect": "allow", "priority": 100,
                      "match": {"clients": ["reports-api"], "subject_token_types": [%4$s],
                                "issuers": ["%5$s"], "audiences": ["https://archive.example.test"],
                                "actors": ["svc-billing/*@EXAMPLE.TEST"]},
                      "grant": {"scopes": ["reports:read", "reports:write"], "default_scopes": ["reports:read"],
                                "max_lifetime": "PT5M"}},
                     {"name": "vault-delegation", "effect": "allow", "priority": 100,
                      "match": {"clients": ["archive-api"], "subject_token_types": [%4$s],
                                "issuers": ["%5$s"], "audiences": ["https://vault.example.test"],
                                "actors": ["svc-archive/*@EXAMPLE.TEST"]},
                      "grant": {"scopes": ["reports:read"], "default_scopes": ["reports:read"], "max_lifetime": "PT5M"}},
                     {"name": "dpop-only", "effect": "allow", "priority": 100,
                      "match": {"clients": ["billing"], "subjects": ["*@EXAMPLE.TEST"],
                                "audiences": ["https://dpop.example.test"]},
                      "grant": {"scopes": ["dpop:read"], "default_scopes": ["dpop:read"], "require_dpop": true}},
                     {"name": "mtls-only", "effect": "allow", "priority": 100,
                      "match": {"clients": ["billing"], "subjects": ["*@EXAMPLE.TEST"],
                                "audiences": ["https://mtls.example.test"]},
                      "grant": {"scopes": ["mtls:read"], "default_scopes": ["mtls:read"], "require_mtls": true}},
                     {"name": "partner-from-idp", "effect": "allow", "priority": 100,
                      "match": {"clients": ["reports-api"], "subject_token_types": [%4$s],
                                "issuers": ["%6$s", "%8$s", "%10$s"], "audiences": ["https://partner.example.test"]},
                      "grant": {"scopes": ["partner:read", "partner:write"], "default_scopes": ["partner:read"],
                                "max_lifetime": "PT5M", "claims": {"origin": "${iss}"}}}
                   ],
                   "trusted_issuers": [
                     {"issuer": "%6$s", "jwks_uri": "%7$s"},
                     {"issuer": "%8$s", "jwks_uri": "%9$s", "algorithms": ["ES256"]},
                     {"issuer": "%10$s", "jwks_uri": "%11$s"}
                   ]},
                  {"id": "globex",
                   "realms": ["OTHER.TEST"],
                   "services": ["%3$s"],
                   "clients": [{"client_id": "globex-app", "secret": "globex-secret-0123"}]}
                ]}
                """.formatted(TestKdc.SERVICE, TestKdc.BILLING, TestKdc.OTHER_SERVICE,
                "\"urn:ietf:params:oauth:token-type:jwt\", \"urn:ietf:params:oauth:token-type:access_token\"",
                "http://localhost:8080/tenants/acme", idp.issuer(), idp.jwksUri(idp.jwksPath()), idp.rotatingIssuer(),
                idp.jwksUri(idp.rotatingJwksPath()), idp.downIssuer(), idp.downJwksUri(), ClientAssertions.publicJwks());
        try {
            Path file = kdc.workDir().resolve("tenants.json");
            Files.writeString(file, json, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
