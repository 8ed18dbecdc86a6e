package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** An external issuer whose JWTs a tenant accepts as subject or actor tokens. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustedIssuerRepresentation(String issuer, String jwksUri, List<String> algorithms) {
}
