package dev.kerbex.jose;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/** Public verification keys from JWKs: what every key source (a JWKS, a client's {@code jwks}, a DPoP header) shares. */
public final class PublicJwks {
    /** Members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4). */
    public static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private PublicJwks() {
    }

    /**
     * The set's signature keys ({@code use} {@code sig} or absent) as public keys only: a private part, if a set
     * carried one, is dropped. Keys jose4j cannot read are left out.
     */
    public static List<PublicJsonWebKey> signatureKeys(JsonWebKeySet set) {
        List<PublicJsonWebKey> out = new ArrayList<>();
        for (JsonWebKey k : set.getJsonWebKeys()) {
            if (k instanceof PublicJsonWebKey pk && (k.getUse() == null || "sig".equals(k.getUse()))) {
                try {
                    out.add((PublicJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(
                            pk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
                } catch (JoseException | RuntimeException e) {
                    // unreadable as a public key: verifies nothing
                }
            }
        }
        return out;
    }

    /** The point satisfies y² = x³ + ax + b (mod p): a key off its curve would invite invalid-curve attacks. */
    public static boolean onCurve(ECPublicKey key) {
        ECPoint w = key.getW();
        EllipticCurve curve = key.getParams().getCurve();
        if (!(curve.getField() instanceof ECFieldFp field)) {
            return false;
        }
        BigInteger p = field.getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }
}
