package dev.kerbex.jwt;

import dev.kerbex.client.ClientKeys;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.store.ReplayStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Verifies a DPoP proof (RFC 9449 §4.3) sent to the token endpoint and returns the RFC 7638 thumbprint of its key,
 * which the issued token then carries as {@code cnf.jkt}. Checks: exactly one {@code DPoP} header; a compact JWS
 * of at most {@link #MAX_CHARS}; {@code typ} {@code dpop+jwt}; an asymmetric algorithm; a {@code jwk} header
 * that is a public EC or RSA key (a private member refuses the proof); the signature under that key;
 * {@code jti}, {@code htm}, {@code htu}, {@code iat} present; {@code htm} the request's method; {@code htu} the
 * endpoint's URL under {@code kerbex.public-url}, ignoring query and fragment (§4.3 step 9); {@code iat} within
 * {@link #WINDOW} of now either way; and, last, the {@code jti} never seen before on any replica (PostgreSQL,
 * kind {@code dpop}, kept until the proof could no longer be accepted anyway). Server nonces (§8) are not used.
 *
 * <p>Every failure is {@code invalid_dpop_proof} (RFC 9449 §5), the description naming the cause, never the proof.
 */
@ApplicationScoped
public class DpopProofVerifier {
    public static final String HEADER = "DPoP";
    public static final Set<String> ALGORITHMS = ClientKeys.ALGORITHMS;
    public static final Duration WINDOW = Duration.ofSeconds(60);
    static final int MAX_CHARS = 8 * 1024;
    static final int MAX_JTI = 255;
    static final String REPLAY_KIND = "dpop";
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** Records a jti; false when it was seen before. */
    @FunctionalInterface
    interface Replays {
        boolean firstSeen(String kind, byte[] keyHash, Instant expiresAt);
    }

    private final Replays replays;
    private final Clock clock;

    @Inject
    public DpopProofVerifier(ReplayStore replays) {
        this(replays::firstSeen, Clock.systemUTC());
    }

    DpopProofVerifier(Replays replays, Clock clock) {
        this.replays = replays;
        this.clock = clock;
    }

    /**
     * @param proofs  the values of the request's {@code DPoP} headers (one is expected)
     * @param method  the request's method
     * @param url     the endpoint's URL under {@code kerbex.public-url}
     * @param scope   what the proof's jti is unique within (the tenant)
     * @return the JWK SHA-256 thumbprint (base64url) of the proof's key
     */
    public String verify(List<String> proofs, String method, String url, String scope) {
        if (proofs.size() != 1) {
            throw invalid("more than one DPoP header", proofs.size() + " headers");
        }
        String proof = proofs.get(0).trim();
        if (proof.length() > MAX_CHARS) {
            throw invalid("proof exceeds " + MAX_CHARS + " characters", "length " + proof.length());
        }
        if (proof.chars().filter(c -> c == '.').count() != 2) {
            throw invalid("not a well-formed JWT", "not three dot-separated parts");
        }
        JsonWebSignature jws = new JsonWebSignature();
        JwtClaims claims;
        try {
            jws.setCompactSerialization(proof);
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException | RuntimeException e) {
            throw invalid("not a well-formed JWT", "unparsable JWS or claims");
        }
        if (!JoseHeaders.wellTyped(jws)) {
            throw invalid("not a well-formed JWT", "a header member that must be a string is not one");
        }
        String typ = jws.getHeader("typ");
        if (typ == null || !typ.toLowerCase(Locale.ROOT).equals("dpop+jwt")) {
            throw invalid("typ must be dpop+jwt", "typ " + typ);
        }
        String alg = jws.getAlgorithmHeaderValue();
        if (alg == null || !ALGORITHMS.contains(alg)) {
            throw invalid("algorithm not allowed", "alg " + alg);
        }
        PublicJsonWebKey key = publicKey(jws);
        boolean fits = alg.startsWith("ES") ? key instanceof EllipticCurveJsonWebKey : key instanceof RsaJsonWebKey;
        if (!fits || key.getAlgorithm() != null && !alg.equals(key.getAlgorithm())) {
            throw invalid("jwk does not fit the algorithm", "alg " + alg + ", key " + key.getKeyType());
        }
        boolean valid;
        try {
            valid = JwsSignatures.verify(jws, alg, key.getPublicKey());
        } catch (JoseException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw invalid("signature invalid", "signature does not verify under the header's jwk");
        }

        if (!(claims.getClaimValue("jti") instanceof String jti) || jti.isEmpty() || jti.length() > MAX_JTI) {
            throw invalid("jti missing", "jti missing, not a string or longer than " + MAX_JTI);
        }
        if (!method.equals(claims.getClaimValue("htm"))) {
            throw invalid("htm must be " + method, "htm " + claims.getClaimValue("htm"));
        }
        if (!(claims.getClaimValue("htu") instanceof String htu) || !sameUrl(htu, url)) {
            throw invalid("htu does not match the endpoint's URL", "htu " + claims.getClaimValue("htu") + ", expected "
                    + url);
        }
        if (!(claims.getClaimValue("iat") instanceof Number iatValue) || Double.isNaN(iatValue.doubleValue())
                || Math.abs(iatValue.doubleValue()) > 1e11) {
            throw invalid("iat missing", "iat missing or not a number in range");
        }
        Instant iat = Instant.ofEpochSecond((long) Math.floor(iatValue.doubleValue()));
        Instant now = clock.instant();
        if (iat.isBefore(now.minus(WINDOW)) || iat.isAfter(now.plus(WINDOW))) {
            throw invalid("iat is not within " + WINDOW.toSeconds() + "s of the server's time", "iat " + iat
                    + ", now " + now);
        }
        String jkt;
        try {
            jkt = key.calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (RuntimeException e) {
            throw invalid("jwk is not a valid public key", "thumbprint failed");
        }
        // Kept until a proof with this iat would be refused as stale anyway.
        Instant keep = (iat.isAfter(now) ? iat : now).plus(WINDOW).plusSeconds(1);
        if (!replays.firstSeen(REPLAY_KIND, replayKey(scope, jkt, jti), keep)) {
            throw invalid("proof replayed", "jti " + jti + " of key " + jkt + " seen before");
        }
        return jkt;
    }

    /** RFC 9449 §4.3 steps 5 and 7: the header's key must be a public asymmetric key. */
    private static PublicJsonWebKey publicKey(JsonWebSignature jws) {
        Object raw = jws.getHeaders().getObjectHeaderValue("jwk");
        if (!(raw instanceof Map<?, ?> map)) {
            throw invalid("jwk header missing", "no jwk object in the header");
        }
        if (map.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
            throw invalid("jwk must be a public key", "jwk carries a private or symmetric member");
        }
        try {
            @SuppressWarnings("unchecked")
            JsonWebKey jwk = JsonWebKey.Factory.newJwk((Map<String, Object>) map);
            if (jwk instanceof EllipticCurveJsonWebKey ec
                    && !ClientKeys.onCurve((java.security.interfaces.ECPublicKey) ec.getPublicKey())) {
                throw invalid("jwk is not a valid public key", "EC point not on its curve");
            }
            if (jwk instanceof PublicJsonWebKey pk) {
                return pk;
            }
        } catch (OAuthException e) {
            throw e;
        } catch (JoseException | RuntimeException e) {
            throw invalid("jwk is not a valid public key", "unreadable jwk");
        }
        throw invalid("jwk must be a public EC or RSA key", "kty " + map.get("kty"));
    }

    /** RFC 9449 §4.3 step 9 with RFC 3986 §6.2.2–6.2.3 normalisation: scheme, host and default port; no query, no fragment. */
    static boolean sameUrl(String htu, String expected) {
        try {
            return normalise(new URI(htu)).equals(normalise(new URI(expected)));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String normalise(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        if (port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80) {
            port = -1;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return scheme + "://" + host + (port == -1 ? "" : ":" + port) + path;
    }

    static byte[] replayKey(String scope, String jkt, String jti) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(scope, jkt, jti)) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OAuthException invalid(String cause, String detail) {
        return new OAuthException(OAuthErrorCode.INVALID_DPOP_PROOF, "DPoP: " + cause, "DPoP: " + cause + ": " + detail);
    }
}
