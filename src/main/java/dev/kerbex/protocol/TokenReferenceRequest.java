package dev.kerbex.protocol;

import dev.kerbex.protocol.TokenRequest.ClientCredentials;
import java.util.List;
import java.util.Map;

/**
 * A request that names one token: RFC 7662 §2.1 introspection and RFC 7009 §2.1 revocation. Both take
 * {@code token} and an optional {@code token_type_hint}, plus the client's credentials in the body when it does
 * not use {@code Authorization: Basic}. Every parameter at most once.
 */
public record TokenReferenceRequest(String token, String tokenTypeHint, ClientCredentials credentials) {

    public static TokenReferenceRequest parse(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> p : form.entrySet()) {
            if (p.getValue().size() > 1) {
                throw invalid(p.getKey() + ": repeated parameter");
            }
        }
        String token = single(form, "token");
        if (token == null) {
            throw invalid("token: missing");
        }
        return new TokenReferenceRequest(token, single(form, "token_type_hint"),
                new ClientCredentials(single(form, "client_id"), single(form, "client_secret"),
                        single(form, "client_assertion"), single(form, "client_assertion_type")));
    }

    /** RFC 6749 §3.1: a parameter sent without a value is treated as omitted. */
    private static String single(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthErrorCode.INVALID_REQUEST, description);
    }
}
