package dev.kerbex.jwt;

import dev.kerbex.jose.JwtClaimValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A token this tenant issued, checked for introspection and revocation ({@link JwtSubjectVerifier#ownToken}):
 * {@code claims} when it verified, else null and {@code refusal} says why (for the audit trail, never for the client).
 */
public record OwnToken(Map<String, Object> claims, String refusal) {
    public boolean valid() {
        return claims != null;
    }

    public String jti() {
        return claims != null && claims.get("jti") instanceof String s ? s : null;
    }

    public String clientId() {
        return claims != null && claims.get("client_id") instanceof String s ? s : null;
    }

    public String subject() {
        return claims != null && claims.get("sub") instanceof String s ? s : null;
    }

    public Instant expiresAt() {
        return claims != null && claims.get("exp") instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    /** {@code aud} as a list (RFC 7519 allows a string or an array). */
    public List<String> audiences() {
        List<String> aud = claims == null ? null : JwtClaimValues.strings(claims.get("aud"));
        return aud == null ? List.of() : aud;
    }
}
