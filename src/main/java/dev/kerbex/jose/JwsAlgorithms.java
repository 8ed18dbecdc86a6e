package dev.kerbex.jose;

import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The JWS algorithms Kerbex accepts, named once per purpose. Asymmetric only, everywhere: never {@code none}, never
 * HMAC (a public key must not become a shared secret).
 */
public final class JwsAlgorithms {
    /** Every asymmetric signature algorithm of RFC 7518 §3.1 that Kerbex knows. */
    public static final Set<String> ASYMMETRIC = Set.of("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256",
            "PS384", "PS512");
    /** The tenant's own tokens: what its signing keys can be ({@code kerbex.tokens.signing-algorithm}). */
    public static final Set<String> OWN_TOKENS = Set.of("ES256", "ES384", "RS256");
    /** A trusted issuer that declares no {@code algorithms}. */
    public static final Set<String> TRUSTED_ISSUER_DEFAULT = Set.of("ES256", "RS256");
    /** What a trusted issuer may declare in its {@code algorithms}. */
    public static final Set<String> TRUSTED_ISSUER_DECLARABLE = ASYMMETRIC;
    /** {@code private_key_jwt} client assertions (RFC 7523), and the {@code alg} a client's registered key may name. */
    public static final Set<String> CLIENT_ASSERTIONS = ASYMMETRIC;
    /** DPoP proofs (RFC 9449 §4.3). */
    public static final Set<String> DPOP_PROOFS = ASYMMETRIC;

    private JwsAlgorithms() {
    }

    /**
     * Whether {@code key} may verify a signature of {@code alg}: ES* needs an EC key, RS* and PS* an RSA key (jose4j
     * checks the curve against the algorithm), and a key that names its own {@code alg} is used for that one only:
     * the header cannot choose how a key is used.
     */
    public static boolean fits(String alg, PublicJsonWebKey key) {
        boolean type = alg.startsWith("ES") ? key instanceof EllipticCurveJsonWebKey : key instanceof RsaJsonWebKey;
        return type && (key.getAlgorithm() == null || alg.equals(key.getAlgorithm()));
    }
}
