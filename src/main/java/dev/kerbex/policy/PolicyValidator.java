package dev.kerbex.policy;

import dev.kerbex.protocol.TokenType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Checks a policy before it is stored, for the admin API (SPEC §8: every invalid field listed) and
 * the declarative-file loader (SPEC §12). Pure; returns every error rather than stopping at the first.
 *
 * <p>Pointers use the JSON names of SPEC §12 ({@code /match/subject_token_types/0},
 * {@code /grant/max_lifetime}, {@code /grant/claims/dept}) and RFC 6901 escaping.
 */
public final class PolicyValidator {

    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_PRIORITY = 1_000_000;
    public static final Duration MAX_LIFETIME = Duration.ofHours(24);

    /**
     * Claims the token issuer sets itself (SPEC §9, RFC 9068 §2.2, RFC 8693 §4): a policy may not
     * forge or override them. The subject has its own template, {@code subject_claim}.
     */
    public static final Set<String> RESERVED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti",
            "client_id", "scope", "act", "cnf", "tenant", "auth_time", "krb_principal");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** RFC 6749 §3.3 scope-token: printable ASCII except space, '"' and '\'. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    /** {@code service/host@REALM}: three non-empty parts, no whitespace and no stray separators. */
    private static final Pattern SERVICE_PRINCIPAL = Pattern.compile("[^/@\\s]+/[^/@\\s]+@[^/@\\s]+");
    /** JSON object member names used for claims: anything printable, but not empty or padded. */
    private static final Pattern CLAIM_NAME = Pattern.compile("\\S(.*\\S)?");

    public List<FieldError> validate(Policy policy) {
        List<FieldError> errors = new ArrayList<>();
        Errors e = new Errors(errors);

        if (policy.name() == null || policy.name().isEmpty()) {
            e.add("/name", "required");
        } else if (policy.name().length() > MAX_NAME_LENGTH) {
            e.add("/name", "must be at most " + MAX_NAME_LENGTH + " characters");
        } else if (!NAME.matcher(policy.name()).matches()) {
            e.add("/name", "may contain only letters, digits, '.', '_' and '-'");
        }
        if (policy.effect() == null) {
            e.add("/effect", "required: allow or deny");
        }
        if (policy.priority() < 0 || policy.priority() > MAX_PRIORITY) {
            e.add("/priority", "must be between 0 and " + MAX_PRIORITY);
        }
        validateMatch(policy.match(), e);
        validateGrant(policy.grant(), e);
        return List.copyOf(errors);
    }

    private static void validateMatch(PolicyMatch m, Errors e) {
        each(m.clients(), "/match/clients", e, c -> nonBlank(c));
        for (int i = 0; i < m.subjectTokenTypes().size(); i++) {
            TokenType t = m.subjectTokenTypes().get(i);
            if (!t.acceptedAsSubjectOrActor()) {
                e.add("/match/subject_token_types/" + i, t.uri() + " cannot be a subject token");
            }
        }
        each(m.subjects(), "/match/subjects", e, PolicyValidator::glob);
        each(m.issuers(), "/match/issuers", e, c -> nonBlank(c));
        if (m.audiences().isEmpty()) {
            e.add("/match/audiences", "required: name at least one audience");
        }
        each(m.audiences(), "/match/audiences", e, PolicyValidator::glob);
        each(m.resources(), "/match/resources", e, PolicyValidator::glob);
        for (int i = 0; i < m.requestedTokenTypes().size(); i++) {
            TokenType t = m.requestedTokenTypes().get(i);
            if (!t.requestable()) {
                e.add("/match/requested_token_types/" + i, t.uri() + " cannot be requested");
            }
        }
        each(m.actors(), "/match/actors", e, ActorPattern::parse);
        each(m.sourceCidrs(), "/match/source_cidrs", e, c -> {
            Cidr.parse(c);
        });
        each(m.groups(), "/match/groups", e, PolicyValidator::glob);
    }

    private static void validateGrant(PolicyGrant g, Errors e) {
        each(g.scopes(), "/grant/scopes", e, s -> {
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw new IllegalArgumentException("not a valid scope token (RFC 6749 §3.3)");
            }
        });
        Set<String> allowed = new HashSet<>(g.scopes());
        each(g.defaultScopes(), "/grant/default_scopes", e, s -> {
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException("'" + s + "' is not one of the grant's scopes");
            }
        });
        Duration max = g.maxLifetime();
        if (max != null && (max.isNegative() || max.isZero())) {
            e.add("/grant/max_lifetime", "must be positive");
        } else if (max != null && max.compareTo(MAX_LIFETIME) > 0) {
            e.add("/grant/max_lifetime", "must be at most " + MAX_LIFETIME);
        }
        // Sorted, so that the errors come out in a stable order (Map.copyOf has none).
        new TreeMap<>(g.claims()).forEach((name, template) -> {
            String pointer = "/grant/claims/" + escape(name);
            if (RESERVED_CLAIMS.contains(name)) {
                e.add(pointer, "'" + name + "' is set by Kerbex and cannot be overridden");
            } else if (!CLAIM_NAME.matcher(name).matches()) {
                e.add(pointer, "claim name must not be empty or start or end with whitespace");
            } else {
                e.check(pointer, () -> groupsAlone(template));
            }
        });
        if (g.subjectClaim() != null) {
            e.check("/grant/subject_claim", () -> template(g.subjectClaim()));
        }
        each(g.kerberosTargets(), "/grant/kerberos_targets", e, t -> {
            if (!SERVICE_PRINCIPAL.matcher(t).matches()) {
                throw new IllegalArgumentException("must look like service/host@REALM");
            }
        });
        if (g.kerberosUserPrincipal() != null) {
            e.check("/grant/kerberos_user_principal", () -> template(g.kerberosUserPrincipal()));
        }
    }

    /** SPEC §5a: {@code ${groups}} is a JSON array, so it must be the whole template of its claim. */
    private static void groupsAlone(String template) {
        if (ClaimTemplates.variables(template).contains(ClaimTemplates.GROUPS) && !template.equals(ClaimTemplates.GROUPS_TEMPLATE)) {
            throw new IllegalArgumentException("${groups} is a JSON array: it must be the whole template of its claim");
        }
    }

    private static void template(String t) {
        nonBlank(t);
        if (ClaimTemplates.variables(t).contains(ClaimTemplates.GROUPS)) {
            throw new IllegalArgumentException("${groups} is a list: it can only be the whole template of a claim");
        }
    }

    private static void glob(String pattern) {
        Glob.compile(pattern);
    }

    private static void nonBlank(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
    }

    private static void each(List<String> values, String pointer, Errors e, Consumer<String> check) {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            e.check(pointer + "/" + i, () -> check.accept(value));
        }
    }

    /** RFC 6901 §3: '~' and '/' inside a member name. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private record Errors(List<FieldError> list) {
        void add(String pointer, String message) {
            list.add(new FieldError(pointer, message));
        }

        /** Runs a check that reports by throwing IllegalArgumentException, as Glob, Cidr and ClaimTemplates do. */
        void check(String pointer, Runnable check) {
            try {
                check.run();
            } catch (IllegalArgumentException ex) {
                add(pointer, ex.getMessage());
            }
        }
    }
}
