package dev.kerbex.policy;

import dev.kerbex.protocol.TokenType;
import java.util.List;

/**
 * The conditions under which a policy applies (SPEC §7 "Match"). An empty list means "any", except
 * for {@code audiences} (required: a policy always names the APIs it is about) and {@code actors}
 * (empty means delegation is refused: impersonation and delegation are distinct rights).
 *
 * @param clients             client ids, or {@code "*"} for every client of the tenant
 * @param subjectTokenTypes   accepted subject token types
 * @param subjects            globs on the Kerberos principal or the JWT {@code sub}
 * @param issuers             exact {@code iss} values of JWT subjects; a Kerberos subject has none
 * @param audiences           globs the requested audiences must match (RFC 8693 §2.1)
 * @param resources           globs the requested resources must match (RFC 8707); when empty,
 *                            resources are matched against {@code audiences} instead
 * @param requestedTokenTypes token types that may be requested
 * @param actors              globs on the actor's principal or {@code sub}
 * @param sourceCidrs         networks the request must come from
 * @param groups              globs on the subject's groups (SPEC §5a: mapped names and SIDs from an AD PAC); the
 *                            policy matches when any group matches any pattern; empty = any subject, with or without
 *                            groups
 */
public record PolicyMatch(List<String> clients, List<TokenType> subjectTokenTypes, List<String> subjects,
        List<String> issuers, List<String> audiences, List<String> resources, List<TokenType> requestedTokenTypes,
        List<String> actors, List<String> sourceCidrs, List<String> groups) {

    static final PolicyMatch EMPTY = new PolicyMatch(null, null, null, null, null, null, null, null, null, null);

    /** A match without group patterns. */
    public PolicyMatch(List<String> clients, List<TokenType> subjectTokenTypes, List<String> subjects,
            List<String> issuers, List<String> audiences, List<String> resources, List<TokenType> requestedTokenTypes,
            List<String> actors, List<String> sourceCidrs) {
        this(clients, subjectTokenTypes, subjects, issuers, audiences, resources, requestedTokenTypes, actors,
                sourceCidrs, null);
    }

    public PolicyMatch {
        clients = copy(clients);
        subjectTokenTypes = copy(subjectTokenTypes);
        subjects = copy(subjects);
        issuers = copy(issuers);
        audiences = copy(audiences);
        resources = copy(resources);
        requestedTokenTypes = copy(requestedTokenTypes);
        actors = copy(actors);
        sourceCidrs = copy(sourceCidrs);
        groups = copy(groups);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
