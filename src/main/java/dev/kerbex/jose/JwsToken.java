package dev.kerbex.jose;

import java.security.PublicKey;
import java.util.Map;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * A compact JWS read but not yet verified: its string header values and claims. Nothing of it may be trusted before
 * {@link JwsPipeline#verify} has returned {@link JwsResult.Verified}.
 *
 * @param compact    the token as presented (kept on the request's stack only, never stored)
 * @param jws        jose4j's parsed form; null for a token rebuilt from a cache, parsed again only if its
 *                   signature has to be checked again
 * @param verifiedBy the public key an earlier verification of this very token proved (a cache), else null: the
 *                   signature is not checked again when the key now selected is that one
 */
public record JwsToken(String compact, JsonWebSignature jws, String alg, String kid, String typ, JwtClaims claims,
        PublicKey verifiedBy) implements ParsedJws {

    /**
     * Bounds, then compact serialisation (exactly three parts: five would be a JWE, which Kerbex never takes), then
     * the string header members ({@link JoseHeaders}), then the payload as a JSON object.
     */
    public static ParsedJws parse(String compact, int maxChars) {
        if (compact.length() > maxChars) {
            return Refusal.of(Refusal.Reason.TOO_LONG, "length " + compact.length());
        }
        if (compact.chars().filter(c -> c == '.').count() != 2) {
            return Refusal.of(Refusal.Reason.MALFORMED, "not three dot-separated parts");
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(compact);
        } catch (JoseException | RuntimeException e) {
            return Refusal.of(Refusal.Reason.MALFORMED, "unparsable JWS: " + e.getMessage());
        }
        if (!JoseHeaders.wellTyped(jws)) {
            return Refusal.of(Refusal.Reason.MALFORMED, "a header member that must be a string is not one");
        }
        JwtClaims claims;
        try {
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (InvalidJwtException | RuntimeException e) {
            return Refusal.of(Refusal.Reason.MALFORMED, "claims are not a JSON object: " + e.getMessage());
        }
        return new JwsToken(compact, jws, jws.getAlgorithmHeaderValue(), jws.getKeyIdHeaderValue(), jws.getHeader("typ"),
                claims, null);
    }

    /** A header member other than the string ones (e.g. DPoP's {@code jwk}); null when absent or rebuilt from a cache. */
    public Object header(String name) {
        return jws == null ? null : jws.getHeaders().getObjectHeaderValue(name);
    }

    /** A claim's value, as JSON gave it (String, Number, Boolean, List, Map), or null. */
    public Object claim(String name) {
        return claims.getClaimValue(name);
    }

    /** Every claim (the map jose4j parsed; read only). */
    public Map<String, Object> claimsMap() {
        return claims.getClaimsMap();
    }

    /** The parsed JWS, parsing {@link #compact} again when this token was rebuilt from a cache. */
    JsonWebSignature signed() throws JoseException {
        if (jws != null) {
            return jws;
        }
        JsonWebSignature again = new JsonWebSignature();
        again.setCompactSerialization(compact);
        return again;
    }
}
