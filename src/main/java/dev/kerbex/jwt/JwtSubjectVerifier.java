package dev.kerbex.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.kerbex.client.OAuthClient;
import dev.kerbex.exchange.SubjectVerifier;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.store.RevocationStore;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.tenant.TrustedIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import dev.kerbex.observability.JwksStatus;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * Verifies JWT subject and actor tokens issued by the tenant itself or by one of its trusted external issuers
 * (SPEC §3): signature under one of the tenant's published keys (the active one and retired ones still in the
 * JWKS) or under a key the trusted issuer publishes at its {@code jwks_uri} ({@link RemoteJwks}), algorithm
 * allowlist (the issuer's declared {@code algorithms}, asymmetric only), issuer, validity window and audience.
 *
 * <p>Every refusal is {@code invalid_request} (RFC 8693 §2.2.2) with a description naming the parameter and
 * the cause; the detail for the audit trail names claim values but never the token.
 */
@ApplicationScoped
public class JwtSubjectVerifier implements SubjectVerifier {
    private static final Logger LOG = Logger.getLogger(JwtSubjectVerifier.class);

    /** Bound checked before anything is decoded; Kerbex's own tokens are well under 2 KiB. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Tolerated clock difference for {@code nbf} and {@code iat} (not for {@code exp}: an expired token is expired). */
    public static final Duration LEEWAY = Duration.ofSeconds(60);
    /** Asymmetric algorithms only: never {@code none}, never HMAC (a public key must not become a shared secret). */
    public static final Set<String> ALGORITHMS = Set.of("ES256", "ES384", "RS256");

    private static final Duration KEYS_CACHED_FOR = Duration.ofSeconds(5);
    /** An unknown {@code kid} reloads the tenant's keys (a rotation on another replica), at most this often. */
    private static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(1);

    /** The public JWKs (JSON objects) a tenant publishes. */
    @FunctionalInterface
    interface PublishedKeys {
        List<String> of(String tenantId);
    }

    private record TenantKeys(Instant loadedAt, Map<String, PublicJsonWebKey> byKid) {
    }

    /** Whether the tenant revoked the token of this {@code jti} (RFC 7009). */
    @FunctionalInterface
    interface Revocations {
        boolean revoked(String tenantId, String jti);
    }

    /**
     * A token this tenant issued, checked for introspection and revocation: {@code claims} when its signature
     * verifies under one of the tenant's keys and it is inside its validity window, else null and {@code refusal}
     * says why (for the audit trail, never for the client).
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
            List<String> aud = claims == null ? null : strings(claims.get("aud"));
            return aud == null ? List.of() : aud;
        }
    }

    private final PublishedKeys published;
    private final Function<String, String> issuerOf;
    private final Clock clock;
    private final Cache<String, TenantKeys> keys;
    private final RemoteJwks remote;
    private final Revocations revocations;
    private final VerifiedJwts verified;

    @Inject
    public JwtSubjectVerifier(SigningKeys signingKeys, IssuerUrls urls, RevocationStore revocations,
            VerifiedJwts verified, JwksStatus jwksStatus) {
        this(signingKeys::publishedJwks, urls::issuer, Clock.systemUTC(), revocations::isRevoked, verified, jwksStatus);
    }

    JwtSubjectVerifier(PublishedKeys published, Function<String, String> issuerOf, Clock clock) {
        this(published, issuerOf, clock, (tenant, jti) -> false);
    }

    JwtSubjectVerifier(PublishedKeys published, Function<String, String> issuerOf, Clock clock, Revocations revocations) {
        this(published, issuerOf, clock, revocations, new VerifiedJwts(clock, VerifiedJwts.MAX_ENTRIES));
    }

    JwtSubjectVerifier(PublishedKeys published, Function<String, String> issuerOf, Clock clock, Revocations revocations,
            VerifiedJwts verified) {
        this(published, issuerOf, clock, revocations, verified, JwksStatus.UNOBSERVED);
    }

    private JwtSubjectVerifier(PublishedKeys published, Function<String, String> issuerOf, Clock clock,
            Revocations revocations, VerifiedJwts verified, JwksStatus jwksStatus) {
        this.verified = verified;
        this.revocations = revocations;
        this.published = published;
        this.issuerOf = issuerOf;
        this.clock = clock;
        this.keys = Caffeine.newBuilder().expireAfterWrite(KEYS_CACHED_FOR).maximumSize(10_000)
                .ticker(ticker(clock)).build();
        this.remote = new RemoteJwks(clock, jwksStatus);
    }

    @Override
    public Set<TokenType> types() {
        return Set.of(TokenType.JWT, TokenType.ACCESS_TOKEN);
    }

    @Override
    public VerifiedSubject verify(String token, TokenType type, VerificationContext context) {
        String p = context.parameter();
        OAuthClient client = context.client();
        if (client == null) {
            // TokenExchange refuses JWT subjects without client credentials before calling; never verify without one.
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT, "client authentication: credentials required");
        }
        String tenantId = context.tenant().tenant().id();
        if (token.length() > MAX_TOKEN_CHARS) {
            throw refused(p, "JWT exceeds " + MAX_TOKEN_CHARS + " characters", "length " + token.length());
        }
        Instant now = clock.instant();

        // The same token seen before (VerifiedJwts): its parsed parts are reused, and its signature is not checked
        // again if the key now published under its kid is the one that verified it. Every other check runs below.
        VerifiedJwts.Entry known = verified.find(tenantId, token);
        JsonWebSignature jws = known == null ? parse(token, p) : null;
        // The issuer decides whose keys and algorithms apply, so it is read before the signature is checked; nothing
        // else of the unverified payload is used until the signature verifies.
        JwtClaims claims;
        if (known != null) {
            claims = known.claims();
        } else {
            try {
                claims = JwtClaims.parse(jws.getUnverifiedPayload());
            } catch (InvalidJwtException | RuntimeException e) {
                throw refused(p, "not a well-formed JWT", "claims are not a JSON object: " + e.getMessage());
            }
        }
        String issuer = issuerOf.apply(tenantId);
        Object iss = claims.getClaimValue("iss");
        TrustedIssuer trusted = issuer.equals(iss) ? null : context.tenant().trustedIssuer(iss).orElse(null);
        if (!issuer.equals(iss) && trusted == null) {
            throw refused(p, "JWT issuer is not trusted by this tenant", "iss " + iss + " is neither " + issuer
                    + " nor one of the tenant's trusted issuers");
        }

        String alg = known != null ? known.alg() : jws.getAlgorithmHeaderValue();
        Set<String> allowed = trusted == null ? ALGORITHMS : trusted.algorithms();
        if (alg == null || !allowed.contains(alg)) {
            throw refused(p, "JWT algorithm not allowed", "alg " + alg + " is not one of " + allowed);
        }
        String kid = known != null ? known.kid() : jws.getKeyIdHeaderValue();
        PublicJsonWebKey key = trusted == null ? key(tenantId, kid) : externalKey(trusted, kid, p);
        if (key == null) {
            throw trusted == null
                    ? refused(p, "JWT signing key is not one of this tenant's", "kid " + kid + " not published by " + tenantId)
                    : refused(p, "JWT signing key is not one of this issuer's", "kid " + kid + " not published at "
                            + trusted.jwksUri() + " (after at most one refetch per "
                            + RemoteJwks.FETCH_AT_MOST_EVERY.toSeconds() + "s)");
        }
        // The header cannot choose how the key is used: the key's own algorithm decides. An external key that
        // names no algorithm must at least be of the algorithm's type.
        boolean matches = key.getAlgorithm() != null ? alg.equals(key.getAlgorithm()) && keyTypeFits(alg, key)
                : trusted != null && keyTypeFits(alg, key);
        if (!matches) {
            throw refused(p, "JWT algorithm does not match its key", "alg " + alg + ", key " + kid + " is "
                    + (key.getAlgorithm() == null ? key.getKeyType() : key.getAlgorithm()));
        }
        boolean reused = known != null && known.verifiedBy(key.getPublicKey());
        if (!reused) {
            verifySignature(jws != null ? jws : parse(token, p), alg, key, p);
        }
        // RFC 8725 §3.11: a JWT of another kind (a DPoP proof, a client assertion) must not pass for an access token.
        String typ = known != null ? known.typ() : jws.getHeader("typ");
        if (trusted == null ? !isAccessTokenType(typ) : typ != null && OTHER_JWT_TYPES.contains(normalisedType(typ))) {
            throw refused(p, "JWT type not accepted", "typ " + typ + " is not an access token's");
        }

        Instant exp = numericDate(claims, "exp", p);
        if (exp == null) {
            throw refused(p, "JWT has no exp", "exp claim missing");
        }
        if (!now.isBefore(exp)) {
            throw refused(p, "JWT expired", "exp " + exp + " is not after " + now);
        }
        if (!reused) {
            verified.remember(tenantId, token, new VerifiedJwts.Entry(alg, kid, typ, claims, key.getPublicKey(), exp));
        }
        Instant nbf = numericDate(claims, "nbf", p);
        if (nbf != null && nbf.isAfter(now.plus(LEEWAY))) {
            throw refused(p, "JWT not yet valid", "nbf " + nbf + " is more than " + LEEWAY.toSeconds() + "s after " + now);
        }
        Instant iat = numericDate(claims, "iat", p);
        if (iat != null && iat.isAfter(now.plus(LEEWAY))) {
            throw refused(p, "JWT issued in the future", "iat " + iat + " is more than " + LEEWAY.toSeconds()
                    + "s after " + now);
        }
        checkAudience(claims, client, issuer, p);
        // RFC 7009: a token of this tenant revoked on any replica is refused at once (a database read, no cache).
        if (trusted == null && claims.getClaimValue("jti") instanceof String jti && revocations.revoked(tenantId, jti)) {
            throw refused(p, "token has been revoked", "jti " + jti + " was revoked");
        }
        Object sub = claims.getClaimValue("sub");
        if (!(sub instanceof String subject) || subject.isEmpty()) {
            throw refused(p, "JWT has no sub", "sub claim missing or not a string");
        }

        return new VerifiedSubject(type, subject, null, (String) iss, scopes(claims, p), exp,
                numericDate(claims, "auth_time", p), act(claims, p), mayAct(claims, p),
                templateClaims(claims, trusted == null));
    }

    /**
     * Checks a token as one this tenant issued (RFC 7662, RFC 7009): size, compact JWS, {@code typ} of an access
     * token, {@code iss} the tenant's issuer, an allowed algorithm equal to the key's, a key of the tenant's JWK Set,
     * the signature, and the validity window ({@code exp} required and not passed). Revocation is the caller's
     * business. Never throws for a bad token: a refusal says why.
     */
    public OwnToken ownToken(String tenantId, String token) {
        String p = "token";
        try {
            if (token.length() > MAX_TOKEN_CHARS) {
                throw refused(p, "JWT exceeds " + MAX_TOKEN_CHARS + " characters", "length " + token.length());
            }
            JsonWebSignature jws = parse(token, p);
            JwtClaims claims;
            try {
                claims = JwtClaims.parse(jws.getUnverifiedPayload());
            } catch (InvalidJwtException | RuntimeException e) {
                throw refused(p, "not a well-formed JWT", "claims are not a JSON object");
            }
            String issuer = issuerOf.apply(tenantId);
            if (!issuer.equals(claims.getClaimValue("iss"))) {
                throw refused(p, "JWT issuer is not this tenant", "iss " + claims.getClaimValue("iss"));
            }
            String alg = jws.getAlgorithmHeaderValue();
            if (alg == null || !ALGORITHMS.contains(alg)) {
                throw refused(p, "JWT algorithm not allowed", "alg " + alg);
            }
            PublicJsonWebKey key = key(tenantId, jws.getKeyIdHeaderValue());
            if (key == null || !alg.equals(key.getAlgorithm()) || !keyTypeFits(alg, key)) {
                throw refused(p, "JWT signing key is not one of this tenant's", "kid " + jws.getKeyIdHeaderValue());
            }
            verifySignature(jws, alg, key, p);
            if (!isAccessTokenType(jws.getHeader("typ"))) {
                throw refused(p, "JWT type not accepted", "typ " + jws.getHeader("typ"));
            }
            Instant now = clock.instant();
            Instant exp = numericDate(claims, "exp", p);
            if (exp == null || !now.isBefore(exp)) {
                throw refused(p, "JWT expired", "exp " + exp + " is not after " + now);
            }
            Instant nbf = numericDate(claims, "nbf", p);
            if (nbf != null && nbf.isAfter(now.plus(LEEWAY))) {
                throw refused(p, "JWT not yet valid", "nbf " + nbf);
            }
            // Not Map.copyOf: a claim may be JSON null, which it refuses with an NPE (found by JwtFuzzTest).
            return new OwnToken(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims.getClaimsMap())),
                    null);
        } catch (OAuthException e) {
            return new OwnToken(null, e.detail());
        }
    }

    /** The {@code typ} values of JWTs that are not access tokens (RFC 9449, RFC 7523bis, RFC 8417, logout tokens). */
    static final Set<String> OTHER_JWT_TYPES = Set.of("dpop+jwt", "client-authentication+jwt", "secevent+jwt",
            "logout+jwt");

    /** RFC 9068 §2.1: {@code at+jwt}, or its full media type {@code application/at+jwt}. */
    private static boolean isAccessTokenType(String typ) {
        return typ != null && normalisedType(typ).equals("at+jwt");
    }

    private static String normalisedType(String typ) {
        String t = typ.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("application/") ? t.substring("application/".length()) : t;
    }

    private static JsonWebSignature parse(String token, String p) {
        // A compact JWS has exactly three parts; five would be a JWE, which Kerbex never issues.
        if (token.chars().filter(c -> c == '.').count() != 2) {
            throw refused(p, "not a well-formed JWT", "not three dot-separated parts");
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(token);
        } catch (JoseException | RuntimeException e) {
            throw refused(p, "not a well-formed JWT", "unparsable JWS: " + e.getMessage());
        }
        if (!JoseHeaders.wellTyped(jws)) {
            throw refused(p, "not a well-formed JWT", "a header member that must be a string is not one");
        }
        return jws;
    }

    private static void verifySignature(JsonWebSignature jws, String alg, PublicJsonWebKey key, String p) {
        boolean valid;
        try {
            valid = JwsSignatures.verify(jws, alg, key.getPublicKey());
        } catch (JoseException | RuntimeException e) {
            throw refused(p, "JWT signature invalid", "signature check failed: " + e.getMessage());
        }
        if (!valid) {
            throw refused(p, "JWT signature invalid", "signature does not verify under key " + key.getKeyId());
        }
    }

    /**
     * SPEC §3: a token is an exchange credential only for a party it was minted for: the client (its
     * {@code client_id} or one of its registered audiences) or the tenant itself (its issuer URL).
     */
    private static void checkAudience(JwtClaims claims, OAuthClient client, String issuer, String p) {
        List<String> aud = strings(claims.getClaimValue("aud"));
        if (aud == null) {
            throw refused(p, "JWT aud claim is malformed", "aud is neither a string nor an array of strings");
        }
        Set<String> accepted = new LinkedHashSet<>();
        accepted.add(client.clientId());
        accepted.addAll(client.audiences());
        accepted.add(issuer);
        if (aud.stream().noneMatch(accepted::contains)) {
            throw refused(p, "token audience does not include this client",
                    "aud " + aud + " names none of " + accepted);
        }
    }

    /**
     * The token's own scope, which an exchange never widens. A token of this tenant always carries one (the
     * JWT issuer writes it on every token); one without it is treated as granting nothing rather than as
     * unrestricted, so that an odd token fails closed.
     */
    private static Set<String> scopes(JwtClaims claims, String p) {
        Object scope = claims.getClaimValue("scope");
        if (scope == null) {
            return Set.of();
        }
        if (!(scope instanceof String s)) {
            throw refused(p, "JWT scope claim is malformed", "scope is not a string");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String value : s.split(" ")) {
            if (!value.isEmpty()) {
                out.add(value);
            }
        }
        return out;
    }

    /** RFC 8693 §4.1: the token's delegation chain, kept whole so that the next token nests it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> act(JwtClaims claims, String p) {
        Object act = claims.getClaimValue("act");
        if (act == null) {
            return null;
        }
        if (!(act instanceof Map<?, ?> map) || !(map.get("sub") instanceof String)) {
            throw refused(p, "JWT act claim is malformed", "act is not an object with a sub");
        }
        return (Map<String, Object>) act;
    }

    /**
     * RFC 8693 §4.4: {@code may_act} is an object naming the party allowed to act ({@code {"sub": ...}});
     * Kerbex also accepts an array of such objects. Only {@code sub} is compared, exactly: glob characters
     * are escaped, because the policy evaluator reads {@code may_act} entries as globs.
     */
    private static Set<String> mayAct(JwtClaims claims, String p) {
        Object mayAct = claims.getClaimValue("may_act");
        if (mayAct == null) {
            return null;
        }
        List<?> entries = mayAct instanceof List<?> list ? list : List.of(mayAct);
        Set<String> subs = new LinkedHashSet<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map) || !(map.get("sub") instanceof String sub)) {
                throw refused(p, "JWT may_act claim is malformed", "may_act entries must be objects with a sub");
            }
            subs.add(sub.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?"));
        }
        return subs;
    }

    /**
     * The claims policy templates may use: strings and numbers only. {@code krb_principal} is among them, so
     * the next token (and later the inverse path) keeps the Kerberos identity Kerbex verified; that is sound
     * only because these are the tenant's own tokens: an external issuer's {@code krb_principal} is dropped, so
     * it can neither appear in the next token nor name a Kerberos identity Kerbex never verified.
     */
    private static Map<String, Object> templateClaims(JwtClaims claims, boolean ownToken) {
        Map<String, Object> out = new HashMap<>();
        claims.getClaimsMap().forEach((name, value) -> {
            if (!ownToken && name.equals("krb_principal")) {
                return;
            }
            if (value instanceof String || value instanceof Number) {
                out.put(name, value);
            }
        });
        return out;
    }

    private static Instant numericDate(JwtClaims claims, String name, String p) {
        Object v = claims.getClaimValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
            throw refused(p, "JWT " + name + " claim is malformed", name + " is not a number");
        }
        double seconds = Math.floor(n.doubleValue());
        if (Math.abs(seconds) > 1e11) {
            throw refused(p, "JWT " + name + " claim is malformed", name + " is out of range");
        }
        return Instant.ofEpochSecond((long) seconds);
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    return null;
                }
                out.add(s);
            }
            return out;
        }
        return null;
    }

    /** ES* needs an EC key, RS* and PS* an RSA key (jose4j checks the curve against the algorithm). */
    private static boolean keyTypeFits(String alg, PublicJsonWebKey key) {
        return alg.startsWith("ES") ? key instanceof EllipticCurveJsonWebKey : key instanceof RsaJsonWebKey;
    }

    private PublicJsonWebKey externalKey(TrustedIssuer trusted, String kid, String p) {
        if (kid == null) {
            return null;
        }
        try {
            return remote.key(trusted.jwksUri(), kid);
        } catch (RemoteJwks.UnavailableException e) {
            throw new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    p + ": the JWT issuer's keys are temporarily unavailable, retry later", p + ": " + e.getMessage());
        }
    }

    private PublicJsonWebKey key(String tenantId, String kid) {
        if (kid == null) {
            return null;
        }
        TenantKeys current = keys.get(tenantId, this::load);
        PublicJsonWebKey key = current.byKid().get(kid);
        if (key == null && !clock.instant().isBefore(current.loadedAt().plus(RELOAD_AT_MOST_EVERY))) {
            current = load(tenantId);
            keys.put(tenantId, current);
            key = current.byKid().get(kid);
        }
        return key;
    }

    private TenantKeys load(String tenantId) {
        List<String> jwks;
        try {
            jwks = published.of(tenantId);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("signing keys", e);
        }
        Map<String, PublicJsonWebKey> byKid = new LinkedHashMap<>();
        for (String json : jwks) {
            try {
                if (JsonWebKey.Factory.newJwk(json) instanceof PublicJsonWebKey k && k.getKeyId() != null) {
                    byKid.put(k.getKeyId(), k);
                }
            } catch (JoseException e) {
                LOG.warnf("tenant %s: a published signing key is unreadable and is ignored: %s", tenantId, e.getMessage());
            }
        }
        return new TenantKeys(clock.instant(), Map.copyOf(byKid));
    }

    private static OAuthException refused(String parameter, String cause, String detail) {
        return new OAuthException(OAuthErrorCode.INVALID_REQUEST, parameter + ": " + cause,
                parameter + ": " + cause + ": " + detail);
    }

    /** The system's monotonic ticker in production; a test's clock moves expiry when a test passes its own. */
    private static Ticker ticker(Clock clock) {
        return clock.equals(Clock.systemUTC()) ? Ticker.systemTicker() : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }
}
