package dev.kerbex.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kerbex.jose.JtiReplays;
import dev.kerbex.jose.JwsAlgorithms;
import dev.kerbex.jose.JwsPipeline;
import dev.kerbex.jose.JwsResult;
import dev.kerbex.jose.JwsRules;
import dev.kerbex.jose.JwsToken;
import dev.kerbex.jose.ParsedJws;
import dev.kerbex.jose.PublicJwks;
import dev.kerbex.jose.Refusal;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * {@code private_key_jwt} (RFC 7523 §2.2, §3; OIDC Core §9): a JWT the client signs with a key whose public half
 * it registered ({@code jwks}). Checks, in this order: size and compact JWS, an algorithm of
 * {@link JwsAlgorithms#CLIENT_ASSERTIONS}, {@code iss} = {@code sub} = the client, then the rest of the JOSE pipeline
 * ({@link JwsPipeline}): the client's registered keys (the one named by {@code kid}, else each in turn) and the signature, a {@code typ} that is
 * not another kind of JWT, {@code exp} (required, not passed, at most {@link #MAX_LIFETIME} plus {@link #LEEWAY}
 * ahead), {@code nbf}/{@code iat} (at most {@link #LEEWAY} ahead); then {@code aud} (the tenant's issuer URL or the
 * endpoint's URL), {@code jti} (required) and, last, the replay check: the {@code jti} is recorded in PostgreSQL for
 * every replica until the assertion expires, so a second use anywhere is refused.
 *
 * <p>Every failure is {@code invalid_client}. Until the signature verifies, an unknown client, a client without
 * keys and a bad signature all get one description, so nobody learns which clients exist; afterwards the
 * description names the cause. Never the assertion itself.
 */
@ApplicationScoped
public class ClientAssertionVerifier {
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** An assertion is a one-time credential for one request: it need not live long, and a short life bounds the replay store. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    public static final Duration LEEWAY = Duration.ofSeconds(60);
    static final int MAX_CHARS = 16 * 1024;
    static final int MAX_JTI = 255;
    static final String REPLAY_KIND = "client_assertion";
    private static final String FAILED = "client authentication failed";
    /** JWTs of other kinds that must not pass for an assertion (RFC 8725 §3.11). */
    private static final Set<String> OTHER_TYPES = Set.of("at+jwt", "dpop+jwt");
    private static final JwsRules RULES = new JwsRules(JwsAlgorithms.CLIENT_ASSERTIONS,
            typ -> typ == null || !OTHER_TYPES.contains(JwsRules.normalisedType(typ)),
            JwsRules.Lifetime.expiringWithin(MAX_LIFETIME, LEEWAY));

    private final JtiReplays replays;
    private final Clock clock;
    private final Cache<String, List<PublicJsonWebKey>> parsedKeys = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** @param replays {@code ReplayStore} in production: every replica's record of used {@code jti}s */
    public ClientAssertionVerifier(JtiReplays replays, Clock clock) {
        this.replays = replays;
        this.clock = clock;
    }

    /**
     * @param claimedClientId the request's {@code client_id}, if it sent one: must be the assertion's {@code sub}
     * @param audiences       what {@code aud} may name: the tenant's issuer URL and the endpoint's URL
     * @return the authenticated client
     */
    public OAuthClient verify(TenantSnapshot tenant, String assertion, String claimedClientId, Set<String> audiences) {
        ParsedJws parsed = JwsToken.parse(assertion, MAX_CHARS);
        if (parsed instanceof Refusal r) {
            throw failed(description(r), r.detail());
        }
        JwsToken jwt = (JwsToken) parsed;
        Refusal algorithm = JwsPipeline.algorithm(jwt, RULES);
        if (algorithm != null) {
            throw failed(description(algorithm), algorithm.detail());
        }
        Object iss = jwt.claim("iss");
        Object sub = jwt.claim("sub");
        if (!(sub instanceof String clientId) || clientId.isEmpty() || !sub.equals(iss)) {
            throw failed("client_assertion: iss and sub must both be the client_id", "iss " + iss + ", sub " + sub);
        }
        if (claimedClientId != null && !claimedClientId.equals(clientId)) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_id: differs from the client assertion's sub");
        }
        OAuthClient client = tenant.client(clientId).orElse(null);
        Instant now = clock.instant();
        JwsResult result = JwsPipeline.verify(jwt, RULES, t -> keys(client, clientId, t.kid()), now);
        if (result instanceof Refusal r) {
            throw failed(description(r), r.detail());
        }
        Instant exp = ((JwsResult.Verified) result).expiresAt();
        Refusal audience = JwsPipeline.audience(jwt, audiences);
        if (audience != null) {
            throw failed("client_assertion: aud does not name this authorization server", audience.detail());
        }
        if (!(jwt.claim("jti") instanceof String jti) || jti.isEmpty() || jti.length() > MAX_JTI) {
            throw failed("client_assertion: jti missing", "jti missing, not a string, or longer than " + MAX_JTI);
        }
        // Last, so that nobody can use up a client's jti values without its key.
        if (!replays.firstSeen(REPLAY_KIND, JtiReplays.key(tenant.tenant().id(), clientId, jti), exp.plus(LEEWAY))) {
            throw failed("client_assertion: jti replayed", "jti " + jti + " of " + clientId + " seen before");
        }
        return client;
    }

    /** Until the signer is proven, an unknown client, a client without keys and a bad signature read the same. */
    private static String description(Refusal r) {
        return switch (r.reason()) {
            case TOO_LONG -> "client_assertion: exceeds " + MAX_CHARS + " characters";
            case MALFORMED -> "client_assertion: not a well-formed JWT";
            case ALGORITHM_NOT_ALLOWED -> "client_assertion: algorithm not allowed";
            case UNKNOWN_KEY, KEYS_UNAVAILABLE, KEY_MISMATCH, SIGNATURE_INVALID -> FAILED;
            case TYPE_NOT_ACCEPTED -> "client_assertion: JWT type not accepted";
            case CLAIM_MALFORMED -> "client_assertion: " + r.claim() + " is malformed";
            case CLAIM_MISSING -> "client_assertion: " + r.claim() + " missing";
            case EXPIRED -> "client_assertion: expired";
            case LIFETIME_TOO_LONG -> "client_assertion: exp is more than " + MAX_LIFETIME.toSeconds() + "s ahead";
            case IN_THE_FUTURE -> "client_assertion: " + r.claim() + " is in the future";
            case OUTSIDE_WINDOW, AUDIENCE_NOT_ACCEPTED -> "client_assertion: aud does not name this authorization server";
        };
    }

    /** The key named by {@code kid}, or, without a {@code kid}, each registered key in turn. */
    private JwsPipeline.Keys keys(OAuthClient client, String clientId, String kid) {
        if (client == null || client.jwks() == null) {
            return JwsPipeline.Keys.refused(Refusal.Reason.UNKNOWN_KEY,
                    "private_key_jwt: unknown client or client without registered keys: " + clientId);
        }
        List<PublicJsonWebKey> candidates = parsedKeys.get(JsonUtil.toJson(client.jwks()), ClientAssertionVerifier::parse)
                .stream().filter(k -> kid == null || kid.equals(k.getKeyId())).toList();
        return candidates.isEmpty() ? JwsPipeline.Keys.refused(Refusal.Reason.UNKNOWN_KEY,
                "private_key_jwt: no key of " + clientId + " under kid " + kid) : JwsPipeline.Keys.of(candidates);
    }

    private static List<PublicJsonWebKey> parse(String jwks) {
        try {
            return List.copyOf(PublicJwks.signatureKeys(new JsonWebKeySet(jwks)));
        } catch (JoseException | RuntimeException e) {
            return List.of(); // validated on write; an unreadable set verifies nothing
        }
    }

    private static OAuthException failed(String description, String detail) {
        return new OAuthException(OAuthErrorCode.INVALID_CLIENT, description, description + ": " + detail);
    }
}
