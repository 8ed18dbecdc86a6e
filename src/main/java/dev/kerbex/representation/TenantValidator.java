package dev.kerbex.representation;

import dev.kerbex.tenant.GroupNames;

import dev.kerbex.client.ClientKeys;
import dev.kerbex.client.MutualTls;
import dev.kerbex.policy.FieldError;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TlsClientAuth;
import dev.kerbex.tenant.TrustedIssuer;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a tenant representation, nested clients, trusted issuers and policies included, and lists every
 * problem with a JSON pointer relative to the tenant object. Pure: knows nothing of files or storage.
 */
public final class TenantValidator {
    static final Pattern PRINCIPAL = Pattern.compile("[^@\\s/]+(/[^@\\s/]+)*@[^@\\s]+");
    static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    static final Set<String> ENCTYPES = Set.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96",
            "aes256-cts-hmac-sha384-192", "aes128-cts-hmac-sha256-128", "camellia256-cts-cmac", "camellia128-cts-cmac",
            "des3-cbc-sha1", "arcfour-hmac", "rc4-hmac", "des-cbc-md5", "des-cbc-crc");
    static final Duration MAX_TENANT_LIFETIME = Duration.ofHours(24);
    static final int MIN_SECRET_LENGTH = 12;
    static final int MAX_SECRET_BYTES = 72;
    /** The widths of trusted_issuer.issuer and .jwks_uri. */
    static final int MAX_ISSUER_LENGTH = 1024;
    static final int MAX_JWKS_URI_LENGTH = 2048;

    private TenantValidator() {
    }

    /** @param knownClients client ids already stored for this tenant (policies may name them) */
    public static List<FieldError> validate(TenantRepresentation t, Set<String> knownClients) {
        List<FieldError> errors = new ArrayList<>();
        if (t.id() == null || !Tenant.ID.matcher(t.id()).matches()) {
            errors.add(new FieldError("/id", "required; lower-case letters, digits and '-', at most 63, e.g. acme"));
        }
        if (t.realms() == null || t.realms().isEmpty()) {
            errors.add(new FieldError("/realms", "must list at least one Kerberos realm"));
        }
        each(t.realms(), "/realms", v -> REALM.matcher(v).matches(), "not a realm name", errors);
        each(t.services(), "/services", v -> PRINCIPAL.matcher(v).matches(), "not a principal like HTTP/host@REALM", errors);
        each(t.enctypes(), "/enctypes", ENCTYPES::contains, "unknown enctype; known: " + String.join(", ",
                ENCTYPES.stream().sorted().toList()), errors);
        Duration lifetime = PolicyMapping.duration(t.maxTokenLifetime(), "/max_token_lifetime", errors);
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TENANT_LIFETIME) > 0)) {
            errors.add(new FieldError("/max_token_lifetime", "must be positive and at most PT24H"));
        }
        GroupNames.validate(t.groupNames(), errors);
        if (t.s4u() != null) {
            if (t.s4u().principal() == null || !PRINCIPAL.matcher(t.s4u().principal()).matches()) {
                errors.add(new FieldError("/s4u/principal", "required; a principal like HTTP/host@REALM"));
            }
            if (t.s4u().keytab() == null || t.s4u().keytab().isBlank()) {
                errors.add(new FieldError("/s4u/keytab", "required; the keytab file of the S4U principal"));
            }
        }
        Set<String> clientIds = new HashSet<>(knownClients);
        List<ClientRepresentation> clients = t.clients() == null ? List.of() : t.clients();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            String p = "/clients/" + i;
            ClientRepresentation c = clients.get(i);
            if (c == null) {
                errors.add(new FieldError(p, "must be an object"));
                continue;
            }
            validateClient(c, p, errors);
            if (c.clientId() != null && !seen.add(c.clientId())) {
                errors.add(new FieldError(p + "/client_id", "duplicate client_id"));
            }
            clientIds.add(c.clientId());
        }
        List<TrustedIssuerRepresentation> issuers = t.trustedIssuers() == null ? List.of() : t.trustedIssuers();
        for (int i = 0; i < issuers.size(); i++) {
            validateTrustedIssuer(issuers.get(i), "/trusted_issuers/" + i, errors);
        }
        List<PolicyRepresentation> policies = t.policies() == null ? List.of() : t.policies();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < policies.size(); i++) {
            String p = "/policies/" + i;
            PolicyRepresentation pr = policies.get(i);
            for (FieldError e : PolicyMapping.toPolicy(pr, null, 1).errors()) {
                errors.add(new FieldError(p + e.pointer(), e.message()));
            }
            if (pr == null) {
                continue;
            }
            if (pr.name() != null && !names.add(pr.name())) {
                errors.add(new FieldError(p + "/name", "duplicate policy name"));
            }
            List<String> named = pr.match() == null || pr.match().clients() == null ? List.of() : pr.match().clients();
            for (int j = 0; j < named.size(); j++) {
                if (named.get(j) != null && !"*".equals(named.get(j)) && !clientIds.contains(named.get(j))) {
                    errors.add(new FieldError(p + "/match/clients/" + j, "unknown client"));
                }
            }
        }
        return errors;
    }

    /** One trusted issuer's checks, pointers under {@code p}; also the admin API's. */
    public static void validateTrustedIssuer(TrustedIssuerRepresentation ti, String p, List<FieldError> errors) {
        if (ti == null || ti.issuer() == null || !absoluteUrl(ti.issuer())) {
            errors.add(new FieldError(p + "/issuer", "required; an absolute URL"));
        } else if (ti.issuer().length() > MAX_ISSUER_LENGTH) {
            errors.add(new FieldError(p + "/issuer", "too long: at most " + MAX_ISSUER_LENGTH + " characters"));
        }
        if (ti != null && ti.jwksUri() != null && !absoluteUrl(ti.jwksUri())) {
            errors.add(new FieldError(p + "/jwks_uri", "not an absolute URL"));
        } else if (ti != null && ti.jwksUri() != null && ti.jwksUri().length() > MAX_JWKS_URI_LENGTH) {
            errors.add(new FieldError(p + "/jwks_uri", "too long: at most " + MAX_JWKS_URI_LENGTH + " characters"));
        }
        List<String> algs = ti == null || ti.algorithms() == null ? List.of() : ti.algorithms();
        for (int j = 0; j < algs.size(); j++) {
            if (algs.get(j) == null || !TrustedIssuer.PERMITTED_ALGORITHMS.contains(algs.get(j))) {
                errors.add(new FieldError(p + "/algorithms/" + j,
                        "not an allowed signature algorithm (asymmetric only: ES256, ES384, ES512, RS256, RS384, "
                                + "RS512, PS256, PS384, PS512)"));
            }
        }
    }

    /** One client's checks, pointers under {@code p}; also the admin API's. */
    public static void validateClient(ClientRepresentation c, String p, List<FieldError> errors) {
        if (c.clientId() == null || !CLIENT_ID.matcher(c.clientId()).matches()) {
            errors.add(new FieldError(p + "/client_id", "required; 1 to 255 visible ASCII characters"));
        }
        if (c.secret() != null && c.secret().length() < MIN_SECRET_LENGTH) {
            errors.add(new FieldError(p + "/secret", "too short: at least " + MIN_SECRET_LENGTH + " characters"));
        }
        // bcrypt reads only the first 72 bytes: a longer secret would be matched by its prefix alone.
        if (c.secret() != null && c.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SECRET_BYTES) {
            errors.add(new FieldError(p + "/secret", "too long: at most " + MAX_SECRET_BYTES + " bytes"));
        }
        if (c.kerberosPrincipal() != null && !PRINCIPAL.matcher(c.kerberosPrincipal()).matches()) {
            errors.add(new FieldError(p + "/kerberos_principal", "not a principal like svc/host@REALM"));
        }
        if (c.secret() == null && c.kerberosPrincipal() == null && c.jwks() == null
                && !TlsClientAuth.TLS_CLIENT_AUTH.equals(c.tokenEndpointAuthMethod())) {
            errors.add(new FieldError(p, "needs a secret, a kerberos_principal, jwks or tls_client_auth to authenticate with"));
        }
        ClientKeys.validate(c.jwks(), p + "/jwks", errors);
        MutualTls.validate(c.tokenEndpointAuthMethod(), c.tls(), c.jwks(), p, errors);
        if (c.rateLimit() != null && (c.rateLimit() < 1 || c.rateLimit() > 100_000)) {
            errors.add(new FieldError(p + "/rate_limit", "must be between 1 and 100000 requests per second"));
        }
        // A JSON null would otherwise reach OAuthClient's List.copyOf as an NPE at provisioning, without a pointer.
        each(c.audiences(), p + "/audiences", v -> true, "must not be null", errors);
        each(c.grantTypes(), p + "/grant_types", OAuthClient.TOKEN_EXCHANGE::equals,
                "unsupported grant type; only " + OAuthClient.TOKEN_EXCHANGE, errors);
    }

    private static void each(List<String> values, String pointer, java.util.function.Predicate<String> ok, String message,
            List<FieldError> errors) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !ok.test(values.get(i))) {
                errors.add(new FieldError(pointer + "/" + i, message));
            }
        }
    }

    private static boolean absoluteUrl(String s) {
        try {
            URI u = new URI(s);
            return u.isAbsolute() && u.getHost() != null && ("https".equals(u.getScheme()) || "http".equals(u.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
