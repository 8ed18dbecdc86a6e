package dev.kerbex.tenant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registered client. {@code secretHash} is a bcrypt hash (never the secret); {@code kerberosPrincipal}
 * enables Kerberos self-exchange (SPEC §3); {@code audiences} are extra values a JWT subject token's
 * {@code aud} may carry to count as minted for this client; {@code rateLimit} overrides the default token
 * requests per second (null: the default); {@code jwks} is the JWK Set (public keys) the client signs its
 * {@code private_key_jwt} assertions with (null: none registered), and for {@code self_signed_tls_client_auth} the
 * certificates it presents ({@code x5c} or {@code x5t#S256}); {@code authMethod} is its registered {@code
 * token_endpoint_auth_method} (null: any of the secret methods, {@code private_key_jwt} or self-exchange); {@code
 * tls} what a {@code tls_client_auth} client's certificate must carry (RFC 8705 §2.1.2).
 */
public record OAuthClient(String tenantId, String clientId, String secretHash, String kerberosPrincipal,
        List<String> grantTypes, List<String> audiences, Integer rateLimit, Map<String, Object> jwks,
        String authMethod, TlsClientAuth tls) {

    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    public OAuthClient {
        grantTypes = List.copyOf(grantTypes == null ? List.of() : grantTypes);
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        jwks = jwks == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(jwks));
    }

    /** A client without a registered authentication method. */
    public OAuthClient(String tenantId, String clientId, String secretHash, String kerberosPrincipal,
            List<String> grantTypes, List<String> audiences, Integer rateLimit, Map<String, Object> jwks) {
        this(tenantId, clientId, secretHash, kerberosPrincipal, grantTypes, audiences, rateLimit, jwks, null, null);
    }

    /** A client without registered keys. */
    public OAuthClient(String tenantId, String clientId, String secretHash, String kerberosPrincipal,
            List<String> grantTypes, List<String> audiences, Integer rateLimit) {
        this(tenantId, clientId, secretHash, kerberosPrincipal, grantTypes, audiences, rateLimit, null);
    }

    /** True when the client must authenticate with its TLS client certificate (RFC 8705 §2). */
    public boolean usesTls() {
        return TlsClientAuth.TLS_CLIENT_AUTH.equals(authMethod) || TlsClientAuth.SELF_SIGNED.equals(authMethod);
    }

    public boolean mayExchangeTokens() {
        return grantTypes.contains(TOKEN_EXCHANGE);
    }
}
