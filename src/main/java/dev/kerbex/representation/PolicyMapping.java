package dev.kerbex.representation;

import dev.kerbex.policy.Effect;
import dev.kerbex.policy.FieldError;
import dev.kerbex.policy.Policy;
import dev.kerbex.policy.PolicyGrant;
import dev.kerbex.policy.PolicyMatch;
import dev.kerbex.policy.PolicyValidator;
import dev.kerbex.protocol.TokenType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link PolicyRepresentation} into the policy model, collecting every problem as a field error with
 * a JSON pointer (the admin API's problem+json and the declarative file's start-up error both list them).
 */
public final class PolicyMapping {
    private static final PolicyValidator VALIDATOR = new PolicyValidator();

    private PolicyMapping() {
    }

    /** The outcome of mapping: a policy when {@code errors} is empty. */
    public record Result(Policy policy, List<FieldError> errors) {
        public Result {
            errors = List.copyOf(errors);
        }
    }

    public static Result toPolicy(PolicyRepresentation r, String id, int revision) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null) {
            return new Result(null, List.of(new FieldError("", "a policy object is required")));
        }
        Effect effect = Effect.ALLOW;
        if (r.effect() != null) {
            try {
                effect = Effect.valueOf(r.effect().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/effect", "must be allow or deny"));
            }
        }
        PolicyRepresentation.Match m = r.match();
        if (m == null) {
            errors.add(new FieldError("/match", "required"));
            m = new PolicyRepresentation.Match(null, null, null, null, null, null, null, null, null);
        }
        PolicyRepresentation.Grant g = r.grant();
        if (g == null) {
            g = new PolicyRepresentation.Grant(null, null, null, null, null, null, null, null, null);
        }
        // A JSON null inside a list or the claims object would make the model's List.copyOf/Map.copyOf throw an
        // NPE instead of naming the field. Stop here: dropping the nulls would shift the indices of later pointers.
        List<FieldError> nulls = new ArrayList<>();
        nulls(m.clients(), "/match/clients", nulls);
        nulls(m.subjects(), "/match/subjects", nulls);
        nulls(m.issuers(), "/match/issuers", nulls);
        nulls(m.audiences(), "/match/audiences", nulls);
        nulls(m.resources(), "/match/resources", nulls);
        nulls(m.actors(), "/match/actors", nulls);
        nulls(m.sourceCidrs(), "/match/source_cidrs", nulls);
        nulls(m.groups(), "/match/groups", nulls);
        nulls(g.scopes(), "/grant/scopes", nulls);
        nulls(g.defaultScopes(), "/grant/default_scopes", nulls);
        if (g.claims() != null) {
            g.claims().forEach((name, value) -> {
                if (value == null) {
                    nulls.add(new FieldError("/grant/claims/" + name.replace("~", "~0").replace("/", "~1"),
                            "must not be null"));
                }
            });
        }
        nulls(g.kerberosTargets(), "/grant/kerberos_targets", nulls);
        if (!nulls.isEmpty()) {
            errors.addAll(nulls);
            return new Result(null, errors);
        }
        PolicyMatch match = new PolicyMatch(m.clients(), tokenTypes(m.subjectTokenTypes(), "/match/subject_token_types", errors),
                m.subjects(), m.issuers(), m.audiences(), m.resources(),
                tokenTypes(m.requestedTokenTypes(), "/match/requested_token_types", errors), m.actors(), m.sourceCidrs(),
                m.groups());
        Duration maxLifetime = duration(g.maxLifetime(), "/grant/max_lifetime", errors);
        PolicyGrant grant = new PolicyGrant(g.scopes(), g.defaultScopes(), maxLifetime, g.claims(), g.subjectClaim(),
                g.kerberosTargets(), g.kerberosUserPrincipal(), Boolean.TRUE.equals(g.requireDpop()),
                Boolean.TRUE.equals(g.requireMtls()));
        Policy policy = new Policy(id, revision, r.name(), effect, r.priority() == null ? 100 : r.priority(), match, grant);
        errors.addAll(VALIDATOR.validate(policy));
        return new Result(errors.isEmpty() ? policy : null, errors);
    }

    /** Parses an ISO-8601 duration such as {@code PT10M}; null stays null. */
    public static Duration duration(String iso, String pointer, List<FieldError> errors) {
        if (iso == null) {
            return null;
        }
        try {
            return Duration.parse(iso);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(pointer, "not an ISO-8601 duration such as PT10M"));
            return null;
        }
    }

    private static void nulls(List<String> values, String pointer, List<FieldError> errors) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    errors.add(new FieldError(pointer + "/" + i, "must not be null"));
                }
            }
        }
    }

    private static List<TokenType> tokenTypes(List<String> uris, String pointer, List<FieldError> errors) {
        if (uris == null) {
            return List.of();
        }
        List<TokenType> out = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            int index = i;
            TokenType.fromUri(uris.get(i)).ifPresentOrElse(out::add,
                    () -> errors.add(new FieldError(pointer + "/" + index, "unknown token type URI")));
        }
        return out;
    }
}
