package dev.kerbex.jwt;

import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.exchange.SubjectVerifier;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.jose.JwsAlgorithms;
import dev.kerbex.jose.JwsPipeline;
import dev.kerbex.jose.JwsResult;
import dev.kerbex.jose.JwsRules;
import dev.kerbex.jose.JwsToken;
import dev.kerbex.jose.ParsedJws;
import dev.kerbex.jose.Refusal;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.store.RevocationStore;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.tenant.TrustedIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import dev.kerbex.observability.JwksStatus;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies JWT subject and actor tokens issued by the tenant itself or by one of its trusted external issuers
 * (SPEC §3), and the tenant's own tokens for introspection and revocation ({@link #ownToken}), both through the one
 * JOSE pipeline ({@link JwsPipeline}): the issuer decides whose keys and algorithms apply — the tenant's JWK Set
 * ({@link TenantPublicKeys}) and {@link JwsAlgorithms#OWN_TOKENS}, or the keys a trusted issuer publishes at its
 * {@code jwks_uri} ({@link RemoteJwks}) and its declared {@code algorithms} — then the pipeline checks algorithm, key,
 * signature, {@code typ} and validity window; {@link #verify} adds the audience, revocation and the subject's claims.
 *
 * <p>Every refusal is {@code invalid_request} (RFC 8693 §2.2.2) with a description naming the parameter and
 * the cause ({@link SubjectClaims#refusal}); the detail for the audit trail names claim values but never the token.
 */
@ApplicationScoped
public class JwtSubjectVerifier implements SubjectVerifier {
    /** Bound checked before anything is decoded; Kerbex's own tokens are well under 2 KiB. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Tolerated clock difference for {@code nbf} and {@code iat} (not for {@code exp}: an expired token is expired). */
    public static final Duration LEEWAY = Duration.ofSeconds(60);
    /** The {@code typ} values of JWTs that are not access tokens (RFC 9449, RFC 7523bis, RFC 8417, logout tokens). */
    static final Set<String> OTHER_JWT_TYPES = Set.of("dpop+jwt", "client-authentication+jwt", "secevent+jwt",
            "logout+jwt");
    /** The tenant's own tokens: RFC 9068 {@code at+jwt} (or {@code application/at+jwt}), the only kind its keys sign. */
    private static final JwsRules OWN = new JwsRules(JwsAlgorithms.OWN_TOKENS,
            typ -> typ != null && JwsRules.normalisedType(typ).equals("at+jwt"), JwsRules.Lifetime.expiring(LEEWAY));

    /** Whether the tenant revoked the token of this {@code jti} (RFC 7009). */
    @FunctionalInterface
    interface Revocations {
        boolean revoked(String tenantId, String jti);
    }

    /** The issuer check and the pipeline's verdict: a verified token and whose it is, or the refusal to answer. */
    private sealed interface Checked {
    }

    /** {@code trusted} is null for the tenant's own token. */
    private record Accepted(JwsResult.Verified verified, TrustedIssuer trusted, String issuer) implements Checked {
    }

    private record Refused(OAuthException refusal) implements Checked {
    }

    private final TenantPublicKeys keys;
    private final Function<String, String> issuerOf;
    private final Clock clock;
    private final RemoteJwks remote;
    private final Revocations revocations;
    private final VerifiedJwts verified;

    @Inject
    public JwtSubjectVerifier(SigningKeys signingKeys, IssuerUrls urls, RevocationStore revocations,
            VerifiedJwts verified, Clock clock, JwksStatus jwksStatus) {
        this(signingKeys::publishedJwks, urls::issuer, clock, revocations::isRevoked, verified, jwksStatus);
    }

    JwtSubjectVerifier(TenantPublicKeys.Published published, Function<String, String> issuerOf, Clock clock) {
        this(published, issuerOf, clock, (tenant, jti) -> false);
    }

    JwtSubjectVerifier(TenantPublicKeys.Published published, Function<String, String> issuerOf, Clock clock,
            Revocations revocations) {
        this(published, issuerOf, clock, revocations, new VerifiedJwts(clock, VerifiedJwts.MAX_ENTRIES));
    }

    JwtSubjectVerifier(TenantPublicKeys.Published published, Function<String, String> issuerOf, Clock clock,
            Revocations revocations, VerifiedJwts verified) {
        this(published, issuerOf, clock, revocations, verified, JwksStatus.UNOBSERVED);
    }

    private JwtSubjectVerifier(TenantPublicKeys.Published published, Function<String, String> issuerOf, Clock clock,
            Revocations revocations, VerifiedJwts verified, JwksStatus jwksStatus) {
        this.verified = verified;
        this.revocations = revocations;
        this.keys = new TenantPublicKeys(published, clock);
        this.issuerOf = issuerOf;
        this.clock = clock;
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
        Checked checked = check(tenantId, token, p, context.tenant());
        if (checked instanceof Refused r) {
            throw r.refusal();
        }
        Accepted a = (Accepted) checked;
        JwsToken jwt = a.verified().token();
        boolean own = a.trusted() == null;

        // SPEC §3: a token is an exchange credential only for a party it was minted for: the client (its
        // client_id or one of its registered audiences) or the tenant itself (its issuer URL).
        Set<String> accepted = new LinkedHashSet<>();
        accepted.add(client.clientId());
        accepted.addAll(client.audiences());
        accepted.add(a.issuer());
        Refusal audience = JwsPipeline.audience(jwt, accepted);
        if (audience != null) {
            throw SubjectClaims.refusal(audience, p, !own);
        }
        // RFC 7009: a token of this tenant revoked on any replica is refused at once (a database read, no cache).
        if (own && jwt.claim("jti") instanceof String jti && revocations.revoked(tenantId, jti)) {
            throw SubjectClaims.refused(p, "token has been revoked", "jti " + jti + " was revoked");
        }
        if (!(jwt.claim("sub") instanceof String subject) || subject.isEmpty()) {
            throw SubjectClaims.refused(p, "JWT has no sub", "sub claim missing or not a string");
        }
        return new VerifiedSubject(type, subject, null, (String) jwt.claim("iss"), SubjectClaims.scopes(jwt, p),
                a.verified().expiresAt(), SubjectClaims.date(jwt, "auth_time", p), SubjectClaims.act(jwt, p),
                SubjectClaims.mayAct(jwt, p), SubjectClaims.templateClaims(jwt, own));
    }

    /**
     * Checks a token as one this tenant issued (RFC 7662, RFC 7009): the same pipeline as {@link #verify} with the
     * tenant's own issuer only — size, compact JWS, {@code iss}, an allowed algorithm equal to the key's, a key of the
     * tenant's JWK Set, the signature, {@code typ} of an access token, the validity window. Audience and revocation
     * are the caller's business. A bad token is a refusal saying why, never an exception.
     */
    public OwnToken ownToken(String tenantId, String token) {
        Checked checked = check(tenantId, token, "token", null);
        if (checked instanceof Refused r) {
            return new OwnToken(null, r.refusal().detail());
        }
        // Not Map.copyOf: a claim may be JSON null, which it refuses with an NPE (found by JwtFuzzTest).
        return new OwnToken(Collections.unmodifiableMap(new LinkedHashMap<>(
                ((Accepted) checked).verified().token().claimsMap())), null);
    }

    /**
     * What {@link #verify} and {@link #ownToken} share. {@code tenant} null: the tenant's own tokens only.
     *
     * <p>The same token seen before ({@link VerifiedJwts}) is rebuilt from its entry, and its signature is not checked
     * again if the key now published under its {@code kid} is the one that verified it; every other check runs.
     */
    private Checked check(String tenantId, String token, String p, TenantSnapshot tenant) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return new Refused(SubjectClaims.refused(p, "JWT exceeds " + MAX_TOKEN_CHARS + " characters",
                    "length " + token.length()));
        }
        VerifiedJwts.Entry known = verified.find(tenantId, token);
        ParsedJws parsed = known != null ? known.token(token) : JwsToken.parse(token, MAX_TOKEN_CHARS);
        if (parsed instanceof Refusal r) {
            return new Refused(SubjectClaims.refusal(r, p, false));
        }
        JwsToken jwt = (JwsToken) parsed;
        // The issuer decides whose keys and algorithms apply, so it is read before the signature is checked; nothing
        // else of the unverified payload is used until the signature verifies.
        String issuer = issuerOf.apply(tenantId);
        Object iss = jwt.claim("iss");
        TrustedIssuer trusted = issuer.equals(iss) || tenant == null ? null : tenant.trustedIssuer(iss).orElse(null);
        if (!issuer.equals(iss) && trusted == null) {
            return new Refused(tenant == null
                    ? SubjectClaims.refused(p, "JWT issuer is not this tenant", "iss " + iss)
                    : SubjectClaims.refused(p, "JWT issuer is not trusted by this tenant", "iss " + iss
                            + " is neither " + issuer + " nor one of the tenant's trusted issuers"));
        }
        JwsResult result = trusted == null
                ? JwsPipeline.verify(jwt, OWN, t -> JwsPipeline.Keys.one(keys.key(tenantId, t.kid())), clock.instant())
                : JwsPipeline.verify(jwt, trustedRules(trusted), t -> remoteKey(trusted, t.kid()), clock.instant());
        if (result instanceof Refusal r) {
            return new Refused(SubjectClaims.refusal(r, p, trusted != null));
        }
        JwsResult.Verified v = (JwsResult.Verified) result;
        if (known == null || !known.verifiedBy(v.key().getPublicKey())) {
            verified.remember(tenantId, token, VerifiedJwts.Entry.of(v));
        }
        return new Accepted(v, trusted, issuer);
    }

    /**
     * A trusted issuer's token: its declared algorithms; any {@code typ} but that of another kind of JWT (RFC 8725
     * §3.11: a DPoP proof or a client assertion must not pass for an access token).
     */
    private static JwsRules trustedRules(TrustedIssuer trusted) {
        return new JwsRules(trusted.algorithms(),
                typ -> typ == null || !OTHER_JWT_TYPES.contains(JwsRules.normalisedType(typ)),
                JwsRules.Lifetime.expiring(LEEWAY));
    }

    private JwsPipeline.Keys remoteKey(TrustedIssuer trusted, String kid) {
        if (kid == null) {
            return JwsPipeline.Keys.of(List.of());
        }
        try {
            JwsPipeline.Keys found = JwsPipeline.Keys.one(remote.key(trusted.jwksUri(), kid));
            return found.candidates().isEmpty() ? JwsPipeline.Keys.refused(Refusal.Reason.UNKNOWN_KEY, "kid " + kid
                    + " not published at " + trusted.jwksUri() + " (after at most one refetch per "
                    + RemoteJwks.FETCH_AT_MOST_EVERY.toSeconds() + "s)") : found;
        } catch (RemoteJwks.UnavailableException e) {
            return JwsPipeline.Keys.refused(Refusal.Reason.KEYS_UNAVAILABLE, e.getMessage());
        }
    }
}
