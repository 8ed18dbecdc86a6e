package dev.kerbex.jwt;

import dev.kerbex.exchange.DpopVerifier;
import dev.kerbex.jose.JtiReplays;
import dev.kerbex.jose.JwsAlgorithms;
import dev.kerbex.jose.JwsPipeline;
import dev.kerbex.jose.JwsResult;
import dev.kerbex.jose.JwsRules;
import dev.kerbex.jose.JwsToken;
import dev.kerbex.jose.JwtClaimValues;
import dev.kerbex.jose.PublicJwks;
import dev.kerbex.jose.Refusal;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Verifies a DPoP proof (RFC 9449 §4.3) sent to the token endpoint and returns the RFC 7638 thumbprint of its key,
 * which the issued token then carries as {@code cnf.jkt}. Exactly one {@code DPoP} header, then the JOSE pipeline
 * ({@link JwsPipeline}): a compact JWS of at most {@link #MAX_CHARS}, an algorithm of {@link JwsAlgorithms#DPOP_PROOFS},
 * the {@code jwk} header as the key (a public EC or RSA key; a private member refuses the proof), the signature under
 * it, {@code typ} {@code dpop+jwt}, {@code iat} within {@link #WINDOW} of now either way; then {@code jti}, {@code htm}
 * the request's method, {@code htu} the endpoint's URL under {@code kerbex.public-url}, ignoring query and fragment
 * (§4.3 step 9); and, last, the {@code jti} never seen before on any replica (PostgreSQL, kind {@code dpop}, kept
 * until the proof could no longer be accepted anyway). With {@code kerbex.dpop.require-nonce}, a proof must also carry
 * a current server nonce ({@link DpopNonces}, §8), else {@code use_dpop_nonce} with the nonce to use.
 *
 * <p>Every failure is {@code invalid_dpop_proof} (RFC 9449 §5), the description naming the cause, never the proof.
 */
@ApplicationScoped
public class DpopProofVerifier implements DpopVerifier {
    public static final Duration WINDOW = Duration.ofSeconds(60);
    static final int MAX_CHARS = 8 * 1024;
    static final int MAX_JTI = 255;
    static final String REPLAY_KIND = "dpop";
    private static final JwsRules RULES = new JwsRules(JwsAlgorithms.DPOP_PROOFS,
            typ -> typ != null && typ.toLowerCase(Locale.ROOT).equals("dpop+jwt"), JwsRules.Lifetime.issuedWithin(WINDOW));

    private final JtiReplays replays;
    private final Clock clock;
    private final DpopNonces nonces;

    /**
     * @param replays {@code ReplayStore} in production: every replica's record of used {@code jti}s
     * @param nonces  the server nonces (§8), when {@code kerbex.dpop.require-nonce} asks for them
     */
    @Inject
    public DpopProofVerifier(JtiReplays replays, Clock clock, DpopNonces nonces) {
        this.replays = replays;
        this.clock = clock;
        this.nonces = nonces;
    }

    /** Without server nonces. */
    public DpopProofVerifier(JtiReplays replays, Clock clock) {
        this(replays, clock, DpopNonces.off(clock));
    }

    @Override
    public String verify(List<String> proofs, String method, String url, String scope) {
        if (proofs.size() != 1) {
            throw invalid("more than one DPoP header", proofs.size() + " headers");
        }
        Instant now = clock.instant();
        JwsResult result = JwsPipeline.verify(proofs.get(0).trim(), MAX_CHARS, RULES, DpopProofVerifier::headerKey, now);
        if (result instanceof Refusal r) {
            throw invalid(cause(r), r.detail());
        }
        JwsResult.Verified verified = (JwsResult.Verified) result;
        JwsToken proof = verified.token();
        if (!(proof.claim("jti") instanceof String jti) || jti.isEmpty() || jti.length() > MAX_JTI) {
            throw invalid("jti missing", "jti missing, not a string or longer than " + MAX_JTI);
        }
        if (!method.equals(proof.claim("htm"))) {
            throw invalid("htm must be " + method, "htm " + proof.claim("htm"));
        }
        if (!(proof.claim("htu") instanceof String htu) || !sameUrl(htu, url)) {
            throw invalid("htu does not match the endpoint's URL", "htu " + proof.claim("htu") + ", expected " + url);
        }
        // RFC 9449 §8: after the signature (a forged proof learns nothing), before the jti is used up.
        if (nonces.required() && !nonces.valid(proof.claim("nonce") instanceof String n ? n : null)) {
            throw OAuthException.useDpopNonce("DPoP: the proof must carry the server's nonce from the DPoP-Nonce header",
                    proof.claim("nonce") == null ? "nonce missing" : "nonce not current", nonces.current());
        }
        String jkt;
        try {
            jkt = verified.key().calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (RuntimeException e) {
            throw invalid("jwk is not a valid public key", "thumbprint failed");
        }
        // Kept until a proof with this iat would be refused as stale anyway.
        Instant iat = JwtClaimValues.date(proof, "iat").value();
        Instant keep = (iat.isAfter(now) ? iat : now).plus(WINDOW).plusSeconds(1);
        if (!replays.firstSeen(REPLAY_KIND, JtiReplays.key(scope, jkt, jti), keep)) {
            throw invalid("proof replayed", "jti " + jti + " of key " + jkt + " seen before");
        }
        return jkt;
    }

    /** The client-facing cause of each pipeline refusal (the header key's own refusals carry theirs as detail). */
    private static String cause(Refusal r) {
        return switch (r.reason()) {
            case TOO_LONG -> "proof exceeds " + MAX_CHARS + " characters";
            case ALGORITHM_NOT_ALLOWED -> "algorithm not allowed";
            case UNKNOWN_KEY -> r.detail();
            case KEY_MISMATCH -> "jwk does not fit the algorithm";
            case SIGNATURE_INVALID -> "signature invalid";
            case TYPE_NOT_ACCEPTED -> "typ must be dpop+jwt";
            case CLAIM_MISSING, CLAIM_MALFORMED -> "iat missing";
            case OUTSIDE_WINDOW -> "iat is not within " + WINDOW.toSeconds() + "s of the server's time";
            default -> "not a well-formed JWT";
        };
    }

    /** RFC 9449 §4.3 steps 5 and 7: the header's key must be a public asymmetric key. */
    private static JwsPipeline.Keys headerKey(JwsToken proof) {
        if (!(proof.header("jwk") instanceof Map<?, ?> map)) {
            return noKey("jwk header missing");
        }
        if (map.keySet().stream().anyMatch(PublicJwks.PRIVATE_MEMBERS::contains)) {
            return noKey("jwk must be a public key");
        }
        try {
            @SuppressWarnings("unchecked")
            JsonWebKey jwk = JsonWebKey.Factory.newJwk((Map<String, Object>) map);
            if (jwk instanceof EllipticCurveJsonWebKey ec && !PublicJwks.onCurve((ECPublicKey) ec.getPublicKey())) {
                return noKey("jwk is not a valid public key");
            }
            if (jwk instanceof PublicJsonWebKey pk) {
                return JwsPipeline.Keys.one(pk);
            }
        } catch (JoseException | RuntimeException e) {
            return noKey("jwk is not a valid public key");
        }
        return noKey("jwk must be a public EC or RSA key");
    }

    private static JwsPipeline.Keys noKey(String cause) {
        return JwsPipeline.Keys.refused(Refusal.Reason.UNKNOWN_KEY, cause);
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

    private static OAuthException invalid(String cause, String detail) {
        return new OAuthException(OAuthErrorCode.INVALID_DPOP_PROOF, "DPoP: " + cause, "DPoP: " + cause + ": " + detail);
    }
}
