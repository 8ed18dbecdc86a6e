package dev.kerbex.jwt;

import dev.kerbex.exchange.ExchangeContext;
import dev.kerbex.exchange.TokenIssuer;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.policy.ClaimTemplates;
import dev.kerbex.policy.PolicyGrant;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Issues RFC 9068 JWT access tokens (SPEC §9) for {@code access_token} and {@code jwt} requests. */
@ApplicationScoped
public class JwtAccessTokenIssuer implements TokenIssuer {
    private final AccessTokenMinter minter;

    public JwtAccessTokenIssuer(AccessTokenMinter minter) {
        this.minter = minter;
    }

    @Override
    public Set<TokenType> issues() {
        return Set.of(TokenType.ACCESS_TOKEN, TokenType.JWT);
    }

    @Override
    public IssuedToken issue(ExchangeContext ctx) {
        VerifiedSubject subject = ctx.subject();
        PolicyGrant grant = ctx.permit().grant();
        Map<String, Object> variables = variables(ctx);
        Instant now = ctx.now();
        long lifetime = ctx.permit().lifetime().toSeconds();
        Instant exp = now.plusSeconds(lifetime);
        String jti = UUID.randomUUID().toString();

        Map<String, Object> claims = new LinkedHashMap<>();
        // Extra claims first, so that no template can replace a registered claim (the validator also refuses them).
        grant.claims().forEach((name, template) -> claims.put(name, render(template, variables)));
        claims.put("iss", ctx.issuer());
        claims.put("sub", grant.subjectClaim() == null ? subject.principal() : render(grant.subjectClaim(), variables));
        claims.put("aud", audience(ctx));
        claims.put("exp", exp.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("jti", jti);
        claims.put("client_id", ctx.client().clientId());
        claims.put("scope", ctx.permit().scopeString());
        claims.put("tenant", ctx.tenant().tenant().id());
        if (subject.authTime() != null) {
            claims.put("auth_time", subject.authTime().getEpochSecond());
        }
        String krbPrincipal = krbPrincipal(subject);
        if (krbPrincipal != null) {
            claims.put("krb_principal", krbPrincipal);
        }
        Map<String, Object> act = act(ctx.actor(), subject.act());
        if (act != null) {
            claims.put("act", act);
        }
        // RFC 9449 §6: a DPoP-bound token names the thumbprint of the proof's key.
        if (ctx.dpopJkt() != null) {
            claims.put("cnf", Map.of("jkt", ctx.dpopJkt()));
        }
        String token = minter.sign(ctx.tenant().tenant().id(), claims);
        return new IssuedToken(token, ctx.request().requestedTokenType(), ctx.dpopJkt() != null ? "DPoP" : "Bearer",
                lifetime, jti, exp);
    }

    /** aud is the requested audiences then resources (RFC 8707), a string when there is one. */
    private static Object audience(ExchangeContext ctx) {
        Set<String> aud = new LinkedHashSet<>(ctx.request().audiences());
        aud.addAll(ctx.request().resources());
        return aud.size() == 1 ? aud.iterator().next() : List.copyOf(aud);
    }

    /**
     * RFC 8693 §4.1: the current actor is the outermost {@code act}; any chain the subject token already
     * carries is nested inside it, never dropped.
     */
    private static Map<String, Object> act(VerifiedSubject actor, Map<String, Object> priorChain) {
        if (actor == null) {
            return priorChain;
        }
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", actor.principal());
        if (actor.issuer() != null) {
            act.put("iss", actor.issuer());
        }
        if (priorChain != null) {
            act.put("act", priorChain);
        }
        return act;
    }

    private static Map<String, Object> variables(ExchangeContext ctx) {
        VerifiedSubject s = ctx.subject();
        Map<String, Object> vars = new HashMap<>(s.claims());
        vars.put("principal", s.principal());
        if (s.realm() != null) {
            vars.put("realm", s.realm());
        }
        String krbPrincipal = krbPrincipal(s);
        if (krbPrincipal != null) {
            vars.put("krb_principal", krbPrincipal);
        }
        vars.put("client_id", ctx.client().clientId());
        return vars;
    }

    /**
     * The Kerberos identity behind the subject: the verified principal of an AP-REQ, or the {@code krb_principal}
     * a token of this tenant carries (kept along an exchange chain for the inverse path, SPEC §6).
     */
    private static String krbPrincipal(VerifiedSubject s) {
        if (s.isKerberos()) {
            return s.principal();
        }
        return s.claims().get("krb_principal") instanceof String k ? k : null;
    }

    private static String render(String template, Map<String, Object> variables) {
        try {
            return ClaimTemplates.render(template, variables);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "subject_token: lacks a claim the policy's token template needs", e.getMessage());
        }
    }

}
