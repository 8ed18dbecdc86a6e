package dev.kerbex.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The documented settings of SPEC §11 (and Kerbex's own knobs), environment form {@code KERBEX_...}. */
@ConfigMapping(prefix = "kerbex")
public interface KerbexConfig {

    /** Base of every issuer URL; never derived from request headers (SPEC §1). */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    Kerberos kerberos();

    /** Declarative tenants file (SPEC §12), applied at start. */
    Optional<Path> bootstrapFile();

    /** Base64 256-bit key-encryption key for signing keys at rest; generated beside the embedded database when absent. */
    Optional<String> keyEncryptionKey();

    KeyEncryptionKeys keyEncryptionKeys();

    EmbeddedDb embeddedDb();

    /**
     * How long a replica keeps a tenant's snapshot (settings, clients, trusted issuers, policies). Edits drop it at
     * once through the change feed (PostgreSQL LISTEN/NOTIFY); this bounds staleness when the feed is down.
     */
    @WithDefault("1s")
    Duration tenantCacheTtl();

    Demo demo();

    Tokens tokens();

    RateLimit rateLimit();

    Crypto crypto();

    Commits commits();

    Database database();

    Http http();

    ClientAuth clientAuth();

    Console console();

    Log log();

    Tracing tracing();

    /** OpenTelemetry tracing (README "Tracing"); {@link TracingSwitch} maps it onto Quarkus's settings. */
    interface Tracing {
        /** Spans for verification, policy, signing, the database and KDC calls, exported over OTLP. */
        @WithDefault("false")
        boolean enabled();
    }

    Audit audit();

    /** Keys that still decrypt signing keys wrapped before a rotation: see docs/runbooks. */
    interface KeyEncryptionKeys {
        /**
         * Earlier key-encryption keys (base64, comma-separated): they decrypt, never encrypt. Signing keys they wrapped
         * are re-wrapped under {@code kerbex.key-encryption-key} at start, after which they can be dropped.
         */
        Optional<List<String>> previous();
    }

    /** Log output (README "Logs"). Both map onto Quarkus settings in application.properties. */
    interface Log {
        /** One JSON object per line on the console ({@code quarkus.log.console.json.enabled}); plain text otherwise. */
        @WithDefault("false")
        boolean json();

        /** One access-log line per request ({@code quarkus.http.access-log.enabled}): no query string, no header. */
        @WithDefault("false")
        boolean access();
    }

    interface Audit {
        /** How long audit events are kept (ISO-8601 duration, e.g. P400D); absent: kept forever, nothing is purged. */
        Optional<Duration> retention();

        /** Rows deleted per purge transaction: bounds lock time and WAL per step. */
        @WithDefault("5000")
        int purgeBatchSize();

        /** How often a replica tries to purge (one at a time across replicas: the others skip). */
        @WithDefault("1h")
        Duration purgeInterval();

        /** Upper bound on rows one purge run deletes; the next run continues. */
        @WithDefault("1000000")
        long purgeMaxRowsPerRun();
    }

    Mtls mtls();

    Dpop dpop();

    /** RFC 8705 mutual TLS (issue 10). */
    interface Mtls {
        /**
         * PEM file of the CA certificates a {@code tls_client_auth} client's chain must lead to (checked by Kerbex
         * itself, whatever the TLS layer trusts). Without it, {@code tls_client_auth} refuses every client.
         */
        Optional<Path> trustStore();
    }

    /** RFC 9449 DPoP server nonces (§8). */
    interface Dpop {
        /** Every DPoP proof at the token endpoint must carry a current server nonce ({@code use_dpop_nonce}). */
        @WithDefault("false")
        boolean requireNonce();

        /** How long one nonce window lasts; a nonce is accepted in its window and the next one. */
        @WithDefault("60s")
        Duration nonceWindow();

        /**
         * Base64 secret (at least 256 bits) the nonces are an HMAC under: set the same on every replica. Without
         * it, a random one per process (nonces then work on one replica only).
         */
        Optional<String> nonceSecret();
    }

    interface Kerberos {
        /** Keytab files, reloaded when they change. */
        Optional<List<Path>> keytabs();

        /** krb5.conf for the inverse path (default: KRB5_CONFIG, else /etc/krb5.conf). */
        Optional<Path> krb5Conf();

        /** Maximum clock skew between Kerbex and its clients. */
        @WithDefault("300s")
        Duration clockSkew();

        /** Longest wait for one KDC on the inverse path (a TGT login waits at most twice this). */
        @WithDefault("3s")
        Duration kdcTimeout();

        /**
         * DNS server ({@code host[:port]}) asked for the SRV records of a realm whose krb5.conf entry lists no
         * {@code kdc} (e.g. an Active Directory domain's DNS); absent = the system's resolvers.
         */
        Optional<String> dnsResolver();
    }

    interface EmbeddedDb {
        /** Data directory of the embedded PostgreSQL, used only when no JDBC URL is configured. */
        @WithDefault(".kerbex/pg")
        Path dir();
    }

    interface Demo {
        /**
         * Start the demo realm (in-JVM KDC, demo tenant, client and policy): {@code auto} turns it on only
         * in the embedded default run (no JDBC URL and no bootstrap file).
         */
        @WithDefault("auto")
        String enabled();

        @WithDefault(".kerbex/demo")
        Path dir();

        /** Port of the demo KDC on 127.0.0.1. */
        @WithDefault("60088")
        int kdcPort();
    }

    interface Tokens {
        /** Default ceiling on issued token lifetimes when a tenant names none. */
        @WithDefault("PT1H")
        Duration defaultMaxLifetime();

        /** Signing algorithm of new tenant keys. */
        @WithDefault("ES256")
        String signingAlgorithm();
    }

    interface RateLimit {
        /** Token requests per second allowed per client (burst = the same number); 0 disables. */
        @WithDefault("100")
        int perClientPerSecond();
    }

    interface Crypto {
        /** {@code accp}: the Amazon Corretto Crypto Provider first among the JCA providers; {@code jdk}: the JDK's only. */
        @WithDefault("accp")
        String provider();
    }

    interface Commits {
        /** Commit concurrent exchanges' rows together (group commit); false: one transaction per exchange. */
        @WithDefault("true")
        boolean batch();

        /** Writer threads of the group commit. */
        @WithDefault("2")
        int writers();
    }

    interface Database {
        /** Start even when the database reports fsync or synchronous_commit off (a warning instead of a refusal). */
        @WithDefault("false")
        boolean allowNonDurable();
    }

    interface Http {
        /** A request body that stops arriving for this long is answered 408 and its connection closed. */
        @WithDefault("10s")
        Duration bodyIdleTimeout();
    }

    interface ClientAuth {
        /** Failed client authentications per client id and window before 429 (0 disables). */
        @WithDefault("10")
        long failuresPerClient();

        /** Failed client authentications per source address and window before 429 (0 disables). */
        @WithDefault("30")
        long failuresPerAddress();

        /** The window over which the failure budgets refill. */
        @WithDefault("60s")
        Duration failureWindow();

        /** bcrypt checks running at once; 0 = half the cores, at least one. */
        @WithDefault("0")
        int bcryptConcurrency();
    }

    /** The web console under /console/ (README "Web console"). */
    interface Console {
        /** Client id the console uses for authorization code + PKCE at {@code quarkus.oidc.auth-server-url}. */
        @WithDefault("kerbex-console")
        String oidcClientId();

        /** Scopes the console asks the identity provider for (space-separated). */
        @WithDefault("openid")
        String oidcScope();
    }
}
