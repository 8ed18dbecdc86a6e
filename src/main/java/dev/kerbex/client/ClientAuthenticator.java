package dev.kerbex.client;

import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenRequest.ClientCredentials;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client authentication (SPEC §3): {@code client_secret_basic}, {@code client_secret_post}, {@code
 * private_key_jwt} (RFC 7523, {@link ClientAssertionVerifier}), and Kerberos self-exchange, where a request
 * without credentials is authenticated by its verified AP-REQ. Unknown clients and wrong secrets get the same
 * answer, after the same bcrypt work. Exactly one method per request (RFC 6749 §2.3).
 */
@ApplicationScoped
public class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";

    private final ClientSecrets secrets;
    private final ClientAssertionVerifier assertions;
    private final IssuerUrls urls;
    private final AuthenticationThrottle throttle;
    private final MutualTls mtls;
    private final String dummyHash;

    @Inject
    public ClientAuthenticator(ClientSecrets secrets, ClientAssertionVerifier assertions, IssuerUrls urls,
            AuthenticationThrottle throttle, MutualTls mtls) {
        this.secrets = secrets;
        this.assertions = assertions;
        this.urls = urls;
        this.throttle = throttle;
        this.mtls = mtls;
        this.dummyHash = secrets.hash("kerbex-timing-equaliser");
    }

    /** Without mutual TLS (unit tests). */
    public ClientAuthenticator(ClientSecrets secrets, ClientAssertionVerifier assertions, IssuerUrls urls,
            AuthenticationThrottle throttle) {
        this(secrets, assertions, urls, throttle, null);
    }

    /** Secrets only: {@code private_key_jwt} is refused (unit tests). */
    public ClientAuthenticator(ClientSecrets secrets, AuthenticationThrottle throttle) {
        this(secrets, null, null, throttle);
    }

    /** Secrets only, no throttle (unit tests). */
    public ClientAuthenticator(ClientSecrets secrets) {
        this(secrets, AuthenticationThrottle.none());
    }

    /**
     * The client proven by credentials at the token endpoint, or empty when the request carries none
     * (self-exchange decides later).
     */
    public Optional<OAuthClient> authenticate(TenantSnapshot tenant, ClientCredentials body, String authorization) {
        return authenticate(tenant, body, authorization, "token", null);
    }

    /** At {@code endpoint}, the source address unknown (its failures are throttled per client id only). */
    public Optional<OAuthClient> authenticate(TenantSnapshot tenant, ClientCredentials body, String authorization,
            String endpoint) {
        return authenticate(tenant, body, authorization, endpoint, null);
    }

    /**
     * @param endpoint the endpoint's name under {@code /tenants/{t}/oauth2/} ({@code token}, {@code introspect},
     *                 {@code revoke}): an assertion's {@code aud} may name its URL
     * @param sourceAddress the caller's address, whose failures are throttled too; null: not known
     */
    public Optional<OAuthClient> authenticate(TenantSnapshot tenant, ClientCredentials body, String authorization,
            String endpoint, String sourceAddress) {
        return authenticate(tenant, body, authorization, endpoint, sourceAddress, null);
    }

    /**
     * @param certificates the TLS client certificate chain of the connection, leaf first; null when none was
     *                     presented (then nothing of RFC 8705 is looked at)
     */
    public Optional<OAuthClient> authenticate(TenantSnapshot tenant, ClientCredentials body, String authorization,
            String endpoint, String sourceAddress, List<X509Certificate> certificates) {
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean assertion = body.clientAssertion() != null || body.clientAssertionType() != null;
        // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
        if ((basic ? 1 : 0) + (body.clientSecret() != null ? 1 : 0) + (assertion ? 1 : 0) > 1) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client authentication: more than one method used");
        }
        if (assertion) {
            return Optional.of(registered(assertion(tenant, body, endpoint), "private_key_jwt"));
        }
        if (basic) {
            String[] idSecret = decodeBasic(authorization.substring(6).trim());
            if (body.clientId() != null && !body.clientId().equals(idSecret[0])) {
                throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_id: differs from the Basic credentials");
            }
            return Optional.of(check(tenant, idSecret[0], idSecret[1], "client_secret_basic", sourceAddress));
        }
        if (body.clientSecret() != null) {
            if (body.clientId() == null) {
                throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_id: missing with client_secret");
            }
            return Optional.of(check(tenant, body.clientId(), body.clientSecret(), "client_secret_post", sourceAddress));
        }
        // RFC 8705 §2: client_id and the connection's certificate, for a client registered with a TLS method.
        if (certificates != null && body.clientId() != null && mtls != null) {
            OAuthClient client = tenant.client(body.clientId()).filter(OAuthClient::usesTls).orElse(null);
            if (client != null) {
                return Optional.of(tls(tenant, client, certificates, sourceAddress));
            }
        }
        return Optional.empty();
    }

    /** RFC 8705 §2.1 or §2.2, throttled like a secret check. */
    private OAuthClient tls(TenantSnapshot tenant, OAuthClient client, List<X509Certificate> certificates,
            String address) {
        String tenantId = tenant.tenant().id();
        throttle.admit(tenantId, client.clientId(), address);
        try {
            return mtls.authenticate(client, certificates);
        } catch (OAuthException e) {
            throttle.failed(tenantId, client.clientId(), address);
            throw e;
        }
    }

    /** A client registered with one method (token_endpoint_auth_method) must use it; null allows any but TLS. */
    private static OAuthClient registered(OAuthClient client, String method) {
        String registered = client.authMethod();
        if (registered != null && !registered.equals(method)) {
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT,
                    "client authentication: not the method registered for this client (" + registered + ")",
                    method + " used by " + client.clientId() + ", registered for " + registered);
        }
        return client;
    }

    /**
     * Introspection and revocation (RFC 7662 §2.1, RFC 7009 §2.1): the client must authenticate; there is no
     * self-exchange here.
     */
    public OAuthClient authenticateRequired(TenantSnapshot tenant, ClientCredentials body, String authorization,
            String endpoint) {
        return authenticateRequired(tenant, body, authorization, endpoint, null);
    }

    /** As above, failures also throttled per source address. */
    public OAuthClient authenticateRequired(TenantSnapshot tenant, ClientCredentials body, String authorization,
            String endpoint, String sourceAddress) {
        return authenticateRequired(tenant, body, authorization, endpoint, sourceAddress, null);
    }

    /** As above, with the connection's TLS client certificate chain (null: none). */
    public OAuthClient authenticateRequired(TenantSnapshot tenant, ClientCredentials body, String authorization,
            String endpoint, String sourceAddress, List<X509Certificate> certificates) {
        return authenticate(tenant, body, authorization, endpoint, sourceAddress, certificates)
                .orElseThrow(() -> invalidClient("client authentication: credentials required"));
    }

    /** RFC 7521 §4.2, RFC 7523 §2.2: both parameters, the JWT bearer type, and an assertion that verifies. */
    private OAuthClient assertion(TenantSnapshot tenant, ClientCredentials body, String endpoint) {
        if (body.clientAssertionType() == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_assertion_type: missing with client_assertion");
        }
        if (body.clientAssertion() == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_assertion: missing with client_assertion_type");
        }
        if (!ClientAssertionVerifier.ASSERTION_TYPE.equals(body.clientAssertionType())) {
            throw invalidClient("client_assertion_type: only " + ClientAssertionVerifier.ASSERTION_TYPE + " is supported");
        }
        if (assertions == null) {
            throw invalidClient("client_assertion: private_key_jwt is not enabled");
        }
        String tenantId = tenant.tenant().id();
        Set<String> audiences = new LinkedHashSet<>();
        audiences.add(urls.issuer(tenantId));
        audiences.add(urls.endpoint(tenantId, "token"));
        audiences.add(urls.endpoint(tenantId, endpoint));
        return assertions.verify(tenant, body.clientAssertion(), body.clientId(), audiences);
    }

    /** Kerberos self-exchange: the client whose registered principal is the verified subject. */
    public OAuthClient selfExchange(TenantSnapshot tenant, String principal, String claimedClientId) {
        OAuthClient client = principal == null ? null : tenant.clientForPrincipal(principal).orElse(null);
        if (client == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT,
                    "client authentication: no credentials, and no client is registered for the subject's Kerberos principal",
                    "self-exchange: no client registered for " + principal);
        }
        if (claimedClientId != null && !claimedClientId.equals(client.clientId())) {
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT, FAILED,
                    "self-exchange: client_id " + claimedClientId + " is not registered for " + principal);
        }
        return client;
    }

    /**
     * A secret check, throttled (issue 10): refused unchecked while the client id or the address has used up its
     * failures; a remembered success costs nothing; every bcrypt, the dummy one for an unknown client included, runs
     * under the throttle's permit, so unknown and wrong answers take the same path and the same time.
     */
    private OAuthClient check(TenantSnapshot tenant, String clientId, String secret, String method, String address) {
        String tenantId = tenant.tenant().id();
        throttle.admit(tenantId, clientId, address);
        OAuthClient client = tenant.client(clientId).orElse(null);
        if (client == null || client.secretHash() == null) {
            throttle.hashCheck(() -> secrets.matches(secret, dummyHash));
            throttle.failed(tenantId, clientId, address);
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT, FAILED,
                    method + ": unknown client or client without a secret: " + clientId);
        }
        String hash = client.secretHash();
        if (!secrets.remembered(secret, hash) && !throttle.hashCheck(() -> secrets.matches(secret, hash))) {
            throttle.failed(tenantId, clientId, address);
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT, FAILED, method + ": wrong secret for " + clientId);
        }
        return registered(client, method);
    }

    /** RFC 6749 §2.3.1: Basic credentials are the form-urlencoded client_id and secret. */
    private static String[] decodeBasic(String encoded) {
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw invalidClient("client authentication: malformed Basic credentials");
            }
            return new String[] {
                    URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8) };
        } catch (IllegalArgumentException e) {
            throw invalidClient("client authentication: malformed Basic credentials");
        }
    }

    private static OAuthException invalidClient(String description) {
        return new OAuthException(OAuthErrorCode.INVALID_CLIENT, description);
    }
}
