package dev.kerbex.jose;

import java.security.Key;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The one place where Kerbex checks a JWS signature: subject and actor tokens (the tenant's own, and trusted issuers'
 * whose keys RemoteJwks fetched), DPoP proofs and client assertions all go through {@link JwsPipeline}, which calls
 * {@link #verify}.
 *
 * <p><b>ECDSA malleability, and why both forms are accepted.</b> When (r, s) is a valid ES256/384/512 signature, so
 * is (r, n − s): a second JWS string for the same header and claims, which only the holder of the first can make.
 * Kerbex accepts both, because refusing the high-s form would refuse about half of all honest ECDSA signatures: RFC
 * 7518 §3.4 does not ask for low s, and the JDK's signer (under jose4j, Kerbex's own minter) and Nimbus JOSE (what
 * many clients and IdPs use) return s uniformly in [1, n − 1]. The twin gains an attacker nothing here:
 * <ul>
 * <li>every replay check keys on claims, never on token bytes: DPoP proofs on (tenant, key thumbprint, {@code jti}),
 * client assertions on (tenant, client, {@code jti}), revocation on (tenant, {@code jti}); a twin has the same
 * {@code jti} and is refused as a replay or as revoked exactly like its original;</li>
 * <li>the twin proves nothing its original does not: same claims, same key, same expiry;</li>
 * <li>a cache keyed by a token's bytes (of verified claims, say) sees the twin as another token and verifies it
 * afresh: a miss, never a bypass. Such a cache must therefore never serve as a "seen before" set.</li>
 * </ul>
 * {@code JwsSignaturesTest} and the verifiers' tests check each of these with the twin of a real signature.
 */
public final class JwsSignatures {
    private JwsSignatures() {
    }

    /**
     * Whether {@code jws} verifies under {@code key} with exactly {@code alg} (no other algorithm is tried).
     *
     * @throws JoseException when jose4j cannot run the check at all (a key that does not fit alg)
     */
    public static boolean verify(JsonWebSignature jws, String alg, Key key) throws JoseException {
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg));
        jws.setKey(key);
        return jws.verifySignature();
    }
}
