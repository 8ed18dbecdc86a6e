package dev.kerbex.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a winning allow grants (SPEC §7 "Grant").
 *
 * @param scopes                 the most that may be granted; requested scopes are intersected with it
 * @param defaultScopes          granted when the request names no scope; a subset of {@code scopes}
 * @param maxLifetime            cap on the issued token's lifetime; {@code null} = no policy cap (the
 *                               tenant maximum and the subject's own expiry still apply)
 * @param claims                 extra claims of issued JWTs: name → {@link ClaimTemplates} template
 * @param subjectClaim           template for the issued {@code sub}; {@code null} = the default subject
 * @param kerberosTargets        service principals ({@code service/host@REALM}) for the inverse path
 * @param kerberosUserPrincipal  template for the S4U user principal; {@code null} = SPEC §6 default
 * @param requireDpop            the issued token must be DPoP-bound (RFC 9449)
 * @param requireMtls            the issued token must be certificate-bound (RFC 8705)
 */
public record PolicyGrant(List<String> scopes, List<String> defaultScopes, Duration maxLifetime,
        Map<String, String> claims, String subjectClaim, List<String> kerberosTargets, String kerberosUserPrincipal,
        boolean requireDpop, boolean requireMtls) {

    static final PolicyGrant EMPTY = new PolicyGrant(null, null, null, null, null, null, null, false, false);

    public PolicyGrant {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        defaultScopes = defaultScopes == null ? List.of() : List.copyOf(defaultScopes);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
        kerberosTargets = kerberosTargets == null ? List.of() : List.copyOf(kerberosTargets);
    }
}
