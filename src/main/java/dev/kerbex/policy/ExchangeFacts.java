package dev.kerbex.policy;

import dev.kerbex.protocol.TokenType;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the exchange use case knows about one token request once the client is authenticated and
 * the subject (and actor) tokens are verified: the input of {@link PolicyEvaluator#decide}.
 *
 * @param clientId           the authenticated client
 * @param subjectTokenType   type of the verified subject token (aliases already normalised)
 * @param subject            Kerberos principal ({@code alice@REALM}) or JWT {@code sub}
 * @param subjectIssuer      {@code iss} of a JWT subject; {@code null} for Kerberos
 * @param audiences          requested {@code audience} values (RFC 8693 §2.1)
 * @param resources          requested {@code resource} values (RFC 8707)
 * @param requestedTokenType {@code requested_token_type}; {@code null} means the SPEC §2 default,
 *                           access_token
 * @param requestedScopes    requested {@code scope} values; empty = none requested
 * @param subjectScopes      the subject token's own scope, which is never widened; {@code null} when
 *                           the subject carries no scope restriction (Kerberos)
 * @param actor              principal or {@code sub} of the verified actor token; {@code null} = no
 *                           {@code actor_token}
 * @param source             the client's address, when known
 * @param subjectExpiry      end time of the ticket, or {@code exp} of the subject token
 * @param tenantMaxLifetime  the tenant's maximum token lifetime
 * @param mayAct             actors (values or globs) allowed by the subject token's {@code may_act}
 *                           (RFC 8693 §4.4); {@code null} = the subject token has no {@code may_act}
 * @param actorIssuer        the trusted external issuer that signed the actor token; {@code null} when the actor
 *                           is the tenant's own (a Kerberos principal, or a JWT of the tenant's own issuer) or absent
 * @param groups             the subject's groups (SPEC §5a): the tenant's names for its PAC's group SIDs, and every SID;
 *                           empty for a subject without a PAC
 */
public record ExchangeFacts(String clientId, TokenType subjectTokenType, String subject, String subjectIssuer,
        List<String> audiences, List<String> resources, TokenType requestedTokenType, Set<String> requestedScopes,
        Set<String> subjectScopes, String actor, InetAddress source, Instant subjectExpiry,
        Duration tenantMaxLifetime, Set<String> mayAct, String actorIssuer, Set<String> groups) {

    /** Facts of a subject without groups. */
    public ExchangeFacts(String clientId, TokenType subjectTokenType, String subject, String subjectIssuer,
            List<String> audiences, List<String> resources, TokenType requestedTokenType, Set<String> requestedScopes,
            Set<String> subjectScopes, String actor, InetAddress source, Instant subjectExpiry,
            Duration tenantMaxLifetime, Set<String> mayAct, String actorIssuer) {
        this(clientId, subjectTokenType, subject, subjectIssuer, audiences, resources, requestedTokenType,
                requestedScopes, subjectScopes, actor, source, subjectExpiry, tenantMaxLifetime, mayAct, actorIssuer,
                null);
    }

    /** Facts whose actor, if any, is the tenant's own. */
    public ExchangeFacts(String clientId, TokenType subjectTokenType, String subject, String subjectIssuer,
            List<String> audiences, List<String> resources, TokenType requestedTokenType, Set<String> requestedScopes,
            Set<String> subjectScopes, String actor, InetAddress source, Instant subjectExpiry,
            Duration tenantMaxLifetime, Set<String> mayAct) {
        this(clientId, subjectTokenType, subject, subjectIssuer, audiences, resources, requestedTokenType,
                requestedScopes, subjectScopes, actor, source, subjectExpiry, tenantMaxLifetime, mayAct, null);
    }

    public ExchangeFacts {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subjectTokenType, "subjectTokenType");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(subjectExpiry, "subjectExpiry");
        Objects.requireNonNull(tenantMaxLifetime, "tenantMaxLifetime");
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        resources = resources == null ? List.of() : List.copyOf(resources);
        // SPEC §2: access_token is the default requested type.
        requestedTokenType = requestedTokenType == null ? TokenType.ACCESS_TOKEN : requestedTokenType;
        requestedScopes = requestedScopes == null ? Set.of() : Set.copyOf(requestedScopes);
        // null and empty mean different things for these two, so only copy.
        subjectScopes = subjectScopes == null ? null : Set.copyOf(subjectScopes);
        mayAct = mayAct == null ? null : Set.copyOf(mayAct);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
