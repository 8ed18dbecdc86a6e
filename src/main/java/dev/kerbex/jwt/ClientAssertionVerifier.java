package dev.kerbex.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kerbex.client.ClientKeys;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.store.ReplayStore;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * {@code private_key_jwt} (RFC 7523 §2.2, §3; OIDC Core §9): a JWT the client signs with a key whose public half
 * it registered ({@code jwks}). Checks, in this order: size, compact JWS, an asymmetric algorithm, {@code iss} =
 * {@code sub} = the client, a {@code typ} that is not another kind of JWT, the client's registered keys
 * and the signature; then — the signer proven — {@code exp} (required, not passed, at most {@link #MAX_LIFETIME}
 * plus {@link #LEEWAY} ahead), {@code nbf}/{@code iat} (at most {@link #LEEWAY} ahead), {@code aud} (the tenant's
 * issuer URL or the endpoint's URL), {@code jti} (required) and, last, the replay check: the {@code jti} is
 * recorded in PostgreSQL for every replica until the assertion expires, so a second use anywhere is refused.
 *
 * <p>Every failure is {@code invalid_client}. Before the signature verifies, an unknown client, a client without
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
    private static final Set<String> OTHER_TYPES = Set.of("at+jwt", "application/at+jwt", "dpop+jwt",
            "application/dpop+jwt");

    /** Records a jti; false when it was seen before. */
    @FunctionalInterface
    interface Replays {
        boolean firstSeen(String kind, byte[] keyHash, Instant expiresAt);
    }

    private final Replays replays;
    private final Clock clock;
    private final Cache<String, List<PublicJsonWebKey>> parsedKeys = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    @Inject
    public ClientAssertionVerifier(ReplayStore replays) {
        this(replays::firstSeen, Clock.systemUTC());
    }

    ClientAssertionVerifier(Replays replays, Clock clock) {
        this.replays = replays;
        this.clock = clock;
    }

    /**
     * @param claimedClientId the request's {@code client_id}, if it sent one: must be the assertion's {@code sub}
     * @param audiences       what {@code aud} may name: the tenant's issuer URL and the endpoint's URL
     * @return the authenticated client
     */
    public OAuthClient verify(TenantSnapshot tenant, String assertion, String claimedClientId, Set<String> audiences) {
        if (assertion.length() > MAX_CHARS) {
            throw failed("client_assertion: exceeds " + MAX_CHARS + " characters", "length " + assertion.length());
        }
        if (assertion.chars().filter(c -> c == '.').count() != 2) {
            throw failed("client_assertion: not a well-formed JWT", "not three dot-separated parts");
        }
        JsonWebSignature jws;
        JwtClaims claims;
        try {
            jws = new JsonWebSignature();
            jws.setCompactSerialization(assertion);
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException | RuntimeException e) {
            throw failed("client_assertion: not a well-formed JWT", "unparsable JWS or claims");
        }
        if (!JoseHeaders.wellTyped(jws)) {
            throw failed("client_assertion: not a well-formed JWT", "a header member that must be a string is not one");
        }
        String alg = jws.getAlgorithmHeaderValue();
        if (alg == null || !ClientKeys.ALGORITHMS.contains(alg)) {
            throw failed("client_assertion: algorithm not allowed", "alg " + alg);
        }
        Object iss = claims.getClaimValue("iss");
        Object sub = claims.getClaimValue("sub");
        if (!(sub instanceof String clientId) || clientId.isEmpty() || !sub.equals(iss)) {
            throw failed("client_assertion: iss and sub must both be the client_id", "iss " + iss + ", sub " + sub);
        }
        if (claimedClientId != null && !claimedClientId.equals(clientId)) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "client_id: differs from the client assertion's sub");
        }
        String typ = jws.getHeader("typ");
        if (typ != null && OTHER_TYPES.contains(typ.toLowerCase(Locale.ROOT))) {
            throw failed("client_assertion: JWT type not accepted", "typ " + typ);
        }
        OAuthClient client = tenant.client(clientId).orElse(null);
        if (client == null || client.jwks() == null) {
            throw failed(FAILED, "private_key_jwt: unknown client or client without registered keys: " + clientId);
        }
        if (!signatureVerifies(jws, alg, keys(client))) {
            throw failed(FAILED, "private_key_jwt: signature does not verify under the keys of " + clientId);
        }

        Instant now = clock.instant();
        Instant exp = numericDate(claims, "exp");
        if (exp == null) {
            throw failed("client_assertion: exp missing", "exp claim missing");
        }
        if (!now.isBefore(exp)) {
            throw failed("client_assertion: expired", "exp " + exp + " is not after " + now);
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(LEEWAY))) {
            throw failed("client_assertion: exp is more than " + MAX_LIFETIME.toSeconds() + "s ahead",
                    "exp " + exp + ", now " + now);
        }
        for (String name : List.of("nbf", "iat")) {
            Instant t = numericDate(claims, name);
            if (t != null && t.isAfter(now.plus(LEEWAY))) {
                throw failed("client_assertion: " + name + " is in the future", name + " " + t + ", now " + now);
            }
        }
        List<String> aud = strings(claims.getClaimValue("aud"));
        if (aud.stream().noneMatch(audiences::contains)) {
            throw failed("client_assertion: aud does not name this authorization server", "aud " + aud
                    + " names none of " + audiences);
        }
        if (!(claims.getClaimValue("jti") instanceof String jti) || jti.isEmpty() || jti.length() > MAX_JTI) {
            throw failed("client_assertion: jti missing", "jti missing, not a string, or longer than " + MAX_JTI);
        }
        // Last, so that nobody can use up a client's jti values without its key.
        if (!replays.firstSeen(REPLAY_KIND, replayKey(tenant.tenant().id(), clientId, jti), exp.plus(LEEWAY))) {
            throw failed("client_assertion: jti replayed", "jti " + jti + " of " + clientId + " seen before");
        }
        return client;
    }

    private List<PublicJsonWebKey> keys(OAuthClient client) {
        String json = JsonUtil.toJson(client.jwks());
        return parsedKeys.get(json, j -> {
            List<PublicJsonWebKey> out = new ArrayList<>();
            try {
                for (JsonWebKey k : new JsonWebKeySet(j).getJsonWebKeys()) {
                    if (k instanceof PublicJsonWebKey pk && (k.getUse() == null || "sig".equals(k.getUse()))) {
                        out.add((PublicJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(
                                pk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
                    }
                }
            } catch (JoseException | RuntimeException e) {
                return List.of(); // validated on write; an unreadable set verifies nothing
            }
            return List.copyOf(out);
        });
    }

    /** The key named by {@code kid}, or, without a {@code kid}, each key of the algorithm's type in turn. */
    private static boolean signatureVerifies(JsonWebSignature jws, String alg, List<PublicJsonWebKey> keys) {
        String kid = jws.getKeyIdHeaderValue();
        for (PublicJsonWebKey key : keys) {
            if (kid != null && !kid.equals(key.getKeyId())) {
                continue;
            }
            boolean fits = alg.startsWith("ES") ? key instanceof EllipticCurveJsonWebKey : key instanceof RsaJsonWebKey;
            if (!fits || key.getAlgorithm() != null && !alg.equals(key.getAlgorithm())) {
                continue;
            }
            try {
                if (JwsSignatures.verify(jws, alg, key.getPublicKey())) {
                    return true;
                }
            } catch (JoseException | RuntimeException e) {
                // a key of the wrong curve or size for alg: try the next
            }
        }
        return false;
    }

    static byte[] replayKey(String tenantId, String clientId, String jti) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(tenantId, clientId, jti)) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant numericDate(JwtClaims claims, String name) {
        Object v = claims.getClaimValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || Math.abs(n.doubleValue()) > 1e11) {
            throw failed("client_assertion: " + name + " is malformed", name + " is not a number in range");
        }
        return Instant.ofEpochSecond((long) Math.floor(n.doubleValue()));
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static OAuthException failed(String description, String detail) {
        return new OAuthException(OAuthErrorCode.INVALID_CLIENT, description, description + ": " + detail);
    }
}
