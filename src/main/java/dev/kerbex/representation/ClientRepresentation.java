package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kerbex.tenant.TlsClientAuth;
import java.util.List;
import java.util.Map;

/**
 * A client; {@code secret} is accepted on writes and never returned except once on creation. {@code jwks} is an
 * inline JWK Set of the client's public keys, for {@code private_key_jwt} (RFC 7523) and the certificates of {@code
 * self_signed_tls_client_auth} (RFC 8705 §2.2); {@code token_endpoint_auth_method} and the {@code tls_client_auth_*}
 * members are RFC 8705's client metadata (§2.1.2), under their registered names.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientRepresentation(String clientId, String secret, String kerberosPrincipal, List<String> grantTypes,
        List<String> audiences, Integer rateLimit, Map<String, Object> jwks, String tokenEndpointAuthMethod,
        String tlsClientAuthSubjectDn, String tlsClientAuthSanDns, String tlsClientAuthSanUri, String tlsClientAuthSanIp,
        String tlsClientAuthSanEmail) {

    /** The one constructor Jackson binds with. */
    @JsonCreator
    public ClientRepresentation {
    }

    /** A client without a registered authentication method. */
    public ClientRepresentation(String clientId, String secret, String kerberosPrincipal, List<String> grantTypes,
            List<String> audiences, Integer rateLimit, Map<String, Object> jwks) {
        this(clientId, secret, kerberosPrincipal, grantTypes, audiences, rateLimit, jwks, null, null, null, null, null,
                null);
    }

    /** The RFC 8705 §2.1.2 members as one value; null when none is set. */
    public TlsClientAuth tls() {
        TlsClientAuth tls = new TlsClientAuth(tlsClientAuthSubjectDn, tlsClientAuthSanDns, tlsClientAuthSanUri,
                tlsClientAuthSanIp, tlsClientAuthSanEmail);
        return tls.count() == 0 ? null : tls;
    }

    /** The same client with another secret and id (what the admin API keeps and validates). */
    public ClientRepresentation with(String id, String newSecret) {
        return new ClientRepresentation(id, newSecret, kerberosPrincipal, grantTypes, audiences, rateLimit, jwks,
                tokenEndpointAuthMethod, tlsClientAuthSubjectDn, tlsClientAuthSanDns, tlsClientAuthSanUri,
                tlsClientAuthSanIp, tlsClientAuthSanEmail);
    }

    /** A client without registered keys. */
    public ClientRepresentation(String clientId, String secret, String kerberosPrincipal, List<String> grantTypes,
            List<String> audiences, Integer rateLimit) {
        this(clientId, secret, kerberosPrincipal, grantTypes, audiences, rateLimit, null);
    }
}
