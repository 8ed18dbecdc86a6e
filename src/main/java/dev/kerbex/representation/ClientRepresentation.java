package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** A client; {@code secret} is accepted on writes and never returned except once on creation. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientRepresentation(String clientId, String secret, String kerberosPrincipal, List<String> grantTypes,
        List<String> audiences, Integer rateLimit) {
}
