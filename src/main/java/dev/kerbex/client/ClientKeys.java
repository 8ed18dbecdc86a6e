package dev.kerbex.client;

import dev.kerbex.jose.JwsAlgorithms;
import dev.kerbex.jose.PublicJwks;
import dev.kerbex.policy.FieldError;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The public keys a client registers for {@code private_key_jwt} (RFC 7523 §2.2): an inline JWK Set
 * ({@code jwks}, RFC 7517 §5). Checked wherever a client is written (the declarative file and the admin API):
 * public EC (P-256, P-384, P-521) or RSA (at least 2048 bits) signature keys only — never a private or
 * symmetric key, which Kerbex must not hold for a client.
 */
public final class ClientKeys {
    /** The {@code alg} a registered key may name: those of client assertions. */
    static final Set<String> ALGORITHMS = JwsAlgorithms.CLIENT_ASSERTIONS;
    static final int MAX_KEYS = 10;
    static final int MIN_RSA_BITS = 2048;

    private ClientKeys() {
    }

    private static boolean containsNul(Object value) {
        if (value instanceof String s) {
            return s.indexOf('\u0000') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> containsNul(e.getKey()) || containsNul(e.getValue()));
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(ClientKeys::containsNul);
        }
        return false;
    }

    /** Every problem of a {@code jwks} member, pointers under {@code p} (e.g. {@code /clients/0/jwks}). */
    public static void validate(Map<String, Object> jwks, String p, List<FieldError> errors) {
        if (jwks == null) {
            return;
        }
        if (containsNul(jwks)) {
            // PostgreSQL's jsonb cannot hold a NUL character; no key member needs one.
            errors.add(new FieldError(p, "must not contain NUL characters"));
            return;
        }
        if (!(jwks.get("keys") instanceof List<?> keys) || keys.isEmpty()) {
            errors.add(new FieldError(p + "/keys", "required; a JWK Set names at least one key"));
            return;
        }
        if (keys.size() > MAX_KEYS) {
            errors.add(new FieldError(p + "/keys", "at most " + MAX_KEYS + " keys"));
        }
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = p + "/keys/" + i;
            if (!(keys.get(i) instanceof Map<?, ?> raw)) {
                errors.add(new FieldError(k, "must be a JWK object"));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) raw;
            String privateMember = key.keySet().stream().filter(PublicJwks.PRIVATE_MEMBERS::contains).findFirst().orElse(null);
            if (privateMember != null) {
                errors.add(new FieldError(k + "/" + privateMember,
                        "a private or symmetric key member; register the public key only"));
                continue;
            }
            Object kty = key.get("kty");
            if (!"EC".equals(kty) && !"RSA".equals(kty)) {
                errors.add(new FieldError(k + "/kty", "must be EC or RSA"));
                continue;
            }
            JsonWebKey jwk;
            try {
                jwk = JsonWebKey.Factory.newJwk(key);
            } catch (JoseException | RuntimeException e) {
                errors.add(new FieldError(k, "not a valid " + kty + " public key"));
                continue;
            }
            if (jwk instanceof RsaJsonWebKey rsa) {
                BigInteger n = ((RSAPublicKey) rsa.getPublicKey()).getModulus();
                if (n.bitLength() < MIN_RSA_BITS) {
                    errors.add(new FieldError(k + "/n", "RSA keys need at least " + MIN_RSA_BITS + " bits"));
                }
            } else if (jwk instanceof EllipticCurveJsonWebKey ec) {
                if (!Set.of("P-256", "P-384", "P-521").contains(ec.getCurveName())) {
                    errors.add(new FieldError(k + "/crv", "must be P-256, P-384 or P-521"));
                } else if (!PublicJwks.onCurve((ECPublicKey) ec.getPublicKey())) {
                    errors.add(new FieldError(k, "not a valid EC public key"));
                }
            }
            if (key.containsKey("use") && !"sig".equals(key.get("use"))) {
                errors.add(new FieldError(k + "/use", "must be sig (or left out)"));
            }
            Object alg = key.get("alg");
            if (alg != null && (!(alg instanceof String a) || !ALGORITHMS.contains(a)
                    || a.startsWith("ES") != "EC".equals(kty))) {
                errors.add(new FieldError(k + "/alg", "not an asymmetric signature algorithm of this key type ("
                        + String.join(", ", ALGORITHMS.stream().sorted().toList()) + ")"));
            }
            Object kid = key.get("kid");
            if (kid != null && !(kid instanceof String)) {
                errors.add(new FieldError(k + "/kid", "must be a string"));
            } else if (kid != null && !kids.add((String) kid)) {
                errors.add(new FieldError(k + "/kid", "duplicate kid"));
            }
        }
    }
}
