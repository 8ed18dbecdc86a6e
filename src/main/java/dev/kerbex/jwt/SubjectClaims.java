package dev.kerbex.jwt;

import dev.kerbex.jose.JwsToken;
import dev.kerbex.jose.JwtClaimValues;
import dev.kerbex.jose.Refusal;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wording of subject and actor token refusals (the descriptions are part of the API: {@code invalid_request},
 * the parameter, then the cause), and the claims a verified token contributes to the exchange.
 */
final class SubjectClaims {
    private SubjectClaims() {
    }

    /** A pipeline refusal as the client sees it; {@code trusted}: the token claimed a trusted issuer, not the tenant. */
    static OAuthException refusal(Refusal r, String p, boolean trusted) {
        String claim = r.claim();
        String cause = switch (r.reason()) {
            case TOO_LONG -> "JWT exceeds " + JwtSubjectVerifier.MAX_TOKEN_CHARS + " characters";
            case MALFORMED -> "not a well-formed JWT";
            case ALGORITHM_NOT_ALLOWED -> "JWT algorithm not allowed";
            case UNKNOWN_KEY -> trusted ? "JWT signing key is not one of this issuer's"
                    : "JWT signing key is not one of this tenant's";
            case KEYS_UNAVAILABLE -> null;
            case KEY_MISMATCH -> "JWT algorithm does not match its key";
            case SIGNATURE_INVALID -> "JWT signature invalid";
            case TYPE_NOT_ACCEPTED -> "JWT type not accepted";
            case CLAIM_MALFORMED -> "JWT " + claim + " claim is malformed";
            case CLAIM_MISSING -> "JWT has no " + claim;
            case EXPIRED -> "JWT expired";
            case IN_THE_FUTURE -> claim.equals("nbf") ? "JWT not yet valid" : "JWT issued in the future";
            case AUDIENCE_NOT_ACCEPTED -> "token audience does not include this client";
            case LIFETIME_TOO_LONG, OUTSIDE_WINDOW -> "JWT " + claim + " not acceptable";
        };
        if (cause == null) {
            return new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    p + ": the JWT issuer's keys are temporarily unavailable, retry later", p + ": " + r.detail());
        }
        return refused(p, cause, r.detail());
    }

    static OAuthException refused(String parameter, String cause, String detail) {
        return new OAuthException(OAuthErrorCode.INVALID_REQUEST, parameter + ": " + cause,
                parameter + ": " + cause + ": " + detail);
    }

    static Instant date(JwsToken token, String name, String p) {
        JwtClaimValues.Date d = JwtClaimValues.date(token, name);
        if (d.refusal() != null) {
            throw refusal(d.refusal(), p, false);
        }
        return d.value();
    }

    /**
     * The token's own scope, which an exchange never widens. A token of this tenant always carries one (the
     * JWT issuer writes it on every token); one without it is treated as granting nothing rather than as
     * unrestricted, so that an odd token fails closed.
     */
    static Set<String> scopes(JwsToken token, String p) {
        Object scope = token.claim("scope");
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
    static Map<String, Object> act(JwsToken token, String p) {
        Object act = token.claim("act");
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
    static Set<String> mayAct(JwsToken token, String p) {
        Object mayAct = token.claim("may_act");
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
    static Map<String, Object> templateClaims(JwsToken token, boolean ownToken) {
        Map<String, Object> out = new HashMap<>();
        token.claimsMap().forEach((name, value) -> {
            if (!ownToken && name.equals("krb_principal")) {
                return;
            }
            if (value instanceof String || value instanceof Number) {
                out.put(name, value);
            }
        });
        return out;
    }
}
