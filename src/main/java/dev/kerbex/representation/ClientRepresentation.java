package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A client; {@code secret} is accepted on writes and never returned except once on creation. {@code jwks} is an
 * inline JWK Set of the client's public keys, for {@code private_key_jwt} (RFC 7523).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientRepresentation(String clientId, String secret, String kerberosPrincipal, List<String> grantTypes,
        List<String> audiences, Integer rateLimit, Map<String, Object> jwks) {

    /** The one constructor Jackson binds with. */
    @JsonCreator
    public ClientRepresentation {
    }

    /** A client without registered keys. */
    public ClientRepresentation(String clientId, String secret, String kerberosPrincipal, List<String> grantTypes,
            List<String> audiences, Integer rateLimit) {
        this(clientId, secret, kerberosPrincipal, grantTypes, audiences, rateLimit, null);
    }
}
