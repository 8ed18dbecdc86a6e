package dev.kerbex.jwt;

import dev.kerbex.exchange.ExchangeContext;
import dev.kerbex.exchange.TemplateVariables;
import dev.kerbex.exchange.TokenIssuer;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.policy.PolicyGrant;
import dev.kerbex.protocol.TokenType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Issues RFC 9068 JWT access tokens (SPEC §9) for {@code access_token} and {@code jwt} requests. */
@ApplicationScoped
public class JwtAccessTokenIssuer implements TokenIssuer {
    private static final String TOKEN_TEMPLATE = "token template";
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
        Map<String, Object> variables = TemplateVariables.of(ctx);
        Instant now = ctx.now();
        long lifetime = ctx.permit().lifetime().toSeconds();
        Instant exp = now.plusSeconds(lifetime);
        String jti = UUID.randomUUID().toString();

        Map<String, Object> claims = new LinkedHashMap<>();
        // Extra claims first, so that no template can replace a registered claim (the validator also refuses them).
        grant.claims().forEach((name, template) -> claims.put(name, TemplateVariables.claim(template, variables, TOKEN_TEMPLATE)));
        claims.put("iss", ctx.issuer());
        claims.put("sub", grant.subjectClaim() == null ? subject.principal() : TemplateVariables.render(grant.subjectClaim(), variables, TOKEN_TEMPLATE));
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
        String krbPrincipal = TemplateVariables.krbPrincipal(subject);
        if (krbPrincipal != null) {
            claims.put("krb_principal", krbPrincipal);
        }
        Map<String, Object> act = act(ctx.actor(), subject.act());
        if (act != null) {
            claims.put("act", act);
        }
        // RFC 9449 §6: a DPoP-bound token names the thumbprint of the proof's key; RFC 8705 §3.1 a certificate-bound
        // one the thumbprint of the client certificate.
        if (ctx.dpopJkt() != null || ctx.x5tS256() != null) {
            claims.put("cnf", confirmation(ctx));
        }
        String token = minter.sign(ctx.tenant().tenant().id(), claims);
        // The audit row names the key a DPoP-bound token is bound to (a thumbprint, not a secret).
        return new IssuedToken(token, ctx.request().requestedTokenType(), ctx.dpopJkt() != null ? "DPoP" : "Bearer",
                lifetime, jti, exp, binding(ctx));
    }

    private static Map<String, Object> confirmation(ExchangeContext ctx) {
        Map<String, Object> cnf = new LinkedHashMap<>();
        if (ctx.dpopJkt() != null) {
            cnf.put("jkt", ctx.dpopJkt());
        }
        if (ctx.x5tS256() != null) {
            cnf.put("x5t#S256", ctx.x5tS256());
        }
        return cnf;
    }

    /** What the audit row says the token is bound to (thumbprints, not secrets). */
    private static String binding(ExchangeContext ctx) {
        if (ctx.dpopJkt() == null && ctx.x5tS256() == null) {
            return null;
        }
        String dpop = ctx.dpopJkt() == null ? null : "DPoP-bound to jkt " + ctx.dpopJkt();
        String mtls = ctx.x5tS256() == null ? null : "certificate-bound to x5t#S256 " + ctx.x5tS256();
        return dpop == null ? mtls : mtls == null ? dpop : dpop + ", " + mtls;
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
}
