package dev.kerbex.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An RFC 8693 §2.1 token exchange request, checked for syntax only (meaning is the exchange's business).
 * {@code subjectToken} is null only for an AP-REQ subject that arrives in {@code Authorization: Negotiate}
 * (SPEC §2). {@code requestedScopes} is empty when no scope was asked for.
 */
public record TokenRequest(String grantType, String subjectToken, TokenType subjectTokenType, String actorToken,
        TokenType actorTokenType, TokenType requestedTokenType, List<String> audiences, List<String> resources,
        Set<String> requestedScopes, ClientCredentials credentials) {

    public static final String TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** RFC 6749 §3.3 scope-token characters. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Set<String> MULTI_VALUED = Set.of("audience", "resource");

    public TokenRequest {
        audiences = List.copyOf(audiences);
        resources = List.copyOf(resources);
        requestedScopes = Set.copyOf(requestedScopes);
    }

    /** Client credentials carried in the body ({@code client_secret_post} and RFC 7523 assertions). */
    public record ClientCredentials(String clientId, String clientSecret, String clientAssertion,
            String clientAssertionType) {
        public static final ClientCredentials NONE = new ClientCredentials(null, null, null, null);
    }

    public static TokenRequest parse(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> p : form.entrySet()) {
            if (p.getValue().size() > 1 && !MULTI_VALUED.contains(p.getKey())) {
                throw invalid(p.getKey() + ": repeated parameter");
            }
        }
        String grantType = single(form, "grant_type");
        if (grantType == null) {
            throw invalid("grant_type: missing");
        }
        if (!TOKEN_EXCHANGE_GRANT.equals(grantType)) {
            throw new OAuthException(OAuthErrorCode.UNSUPPORTED_GRANT_TYPE,
                    "grant_type: only " + TOKEN_EXCHANGE_GRANT + " is supported");
        }
        TokenType subjectType = inputType(form, "subject_token_type");
        if (subjectType == null) {
            throw invalid("subject_token_type: missing");
        }
        String subjectToken = single(form, "subject_token");
        if (subjectToken == null && subjectType != TokenType.KERBEROS_AP_REQ) {
            throw invalid("subject_token: missing");
        }
        String actorToken = single(form, "actor_token");
        TokenType actorType = inputType(form, "actor_token_type");
        // RFC 8693 §2.1: actor_token_type is REQUIRED with actor_token and MUST NOT appear without it.
        if (actorToken != null && actorType == null) {
            throw invalid("actor_token_type: required when actor_token is present");
        }
        if (actorToken == null && actorType != null) {
            throw invalid("actor_token_type: present without actor_token");
        }
        String requested = single(form, "requested_token_type");
        TokenType requestedType = TokenType.ACCESS_TOKEN;
        if (requested != null) {
            requestedType = TokenType.fromUri(requested).filter(TokenType::requestable)
                    .orElseThrow(() -> invalid("requested_token_type: unsupported token type"));
        }
        List<String> resources = values(form, "resource");
        for (String r : resources) {
            checkResource(r);
        }
        return new TokenRequest(grantType, subjectToken, subjectType, actorToken, actorType, requestedType,
                values(form, "audience"), resources, scopes(single(form, "scope")),
                new ClientCredentials(single(form, "client_id"), single(form, "client_secret"),
                        single(form, "client_assertion"), single(form, "client_assertion_type")));
    }

    /** The scope as requested, space-delimited, in a stable order. */
    public String scopeString() {
        return String.join(" ", requestedScopes.stream().sorted().toList());
    }

    private static TokenType inputType(Map<String, List<String>> form, String name) {
        String uri = single(form, name);
        if (uri == null) {
            return null;
        }
        return TokenType.fromUri(uri).filter(TokenType::acceptedAsSubjectOrActor)
                .orElseThrow(() -> invalid(name + ": unsupported token type"));
    }

    /** RFC 6749 §3.1: a parameter sent without a value is treated as omitted. */
    private static String single(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    private static List<String> values(Map<String, List<String>> form, String name) {
        List<String> out = new ArrayList<>();
        for (String v : form.getOrDefault(name, List.of())) {
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    private static Set<String> scopes(String scope) {
        if (scope == null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : Arrays.asList(scope.split(" ", -1))) {
            if (s.isEmpty()) {
                continue;
            }
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw new OAuthException(OAuthErrorCode.INVALID_SCOPE, "scope: malformed scope value");
            }
            out.add(s);
        }
        return out;
    }

    /** RFC 8707 §2: a resource is an absolute URI without a fragment. */
    private static void checkResource(String resource) {
        try {
            URI uri = new URI(resource);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw new OAuthException(OAuthErrorCode.INVALID_TARGET, "resource: must be an absolute URI without a fragment");
            }
        } catch (URISyntaxException e) {
            throw new OAuthException(OAuthErrorCode.INVALID_TARGET, "resource: must be an absolute URI without a fragment");
        }
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthErrorCode.INVALID_REQUEST, description);
    }
}
