package dev.kerbex.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A policy with its globs and networks compiled, and the matching of SPEC §7 "Match".
 *
 * <p>Compiling never throws: a stored policy should always be valid ({@link PolicyValidator} guards
 * every write), but if one is not, the error is kept and the evaluator fails closed with it.
 */
final class CompiledPolicy {

    /** Why a policy did not match; {@code kind} tells target failures apart (SPEC §7 "No match"). */
    record Mismatch(Kind kind, String reason) {
    }

    /** The outcome of matching: a mismatch, or the subject's groups that matched {@code match.groups}. */
    record Match(Mismatch mismatch, List<String> groups) {
    }

    enum Kind {
        /** The policy is invalid and cannot be evaluated. */
        INVALID,
        /** Something other than the targets differs. */
        OTHER,
        /** Everything matched except a requested audience. */
        AUDIENCE,
        /** Everything matched except a requested resource. */
        RESOURCE
    }

    private final Policy policy;
    private final String error;
    private final List<Glob> subjects;
    private final List<Glob> audiences;
    private final List<Glob> resources;
    private final List<ActorPattern> actors;
    private final List<Cidr> sources;
    private final List<Glob> kerberosTargets;
    private final List<Glob> groups;

    private CompiledPolicy(Policy policy, String error, List<Glob> subjects, List<Glob> audiences,
            List<Glob> resources, List<ActorPattern> actors, List<Cidr> sources, List<Glob> kerberosTargets,
            List<Glob> groups) {
        this.policy = policy;
        this.error = error;
        this.subjects = subjects;
        this.audiences = audiences;
        this.resources = resources;
        this.actors = actors;
        this.sources = sources;
        this.kerberosTargets = kerberosTargets;
        this.groups = groups;
    }

    static CompiledPolicy compile(Policy policy) {
        PolicyMatch m = policy.match();
        try {
            if (policy.effect() == null) {
                throw new IllegalArgumentException("effect is missing");
            }
            if (m.audiences().isEmpty()) {
                throw new IllegalArgumentException("audiences are missing");
            }
            return new CompiledPolicy(policy, null, globs(m.subjects()), globs(m.audiences()), globs(m.resources()),
                    actors(m.actors()), m.sourceCidrs().stream().map(Cidr::parse).toList(),
                    globs(policy.grant().kerberosTargets()), globs(m.groups()));
        } catch (IllegalArgumentException e) {
            return new CompiledPolicy(policy, e.getMessage(), List.of(), List.of(), List.of(), List.of(), List.of(),
                    List.of(), List.of());
        }
    }

    private static List<ActorPattern> actors(List<String> patterns) {
        return compileAll(patterns, ActorPattern::parse, "actor");
    }

    private static List<Glob> globs(List<String> patterns) {
        return compileAll(patterns, Glob::compile, "pattern");
    }

    /** Each pattern compiled once per policy revision; an invalid one names itself in the policy's error. */
    private static <T> List<T> compileAll(List<String> patterns, Function<String, T> compile, String label) {
        List<T> out = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            try {
                out.add(compile.apply(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label + " '" + p + "': " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    Policy policy() {
        return policy;
    }

    boolean invalid() {
        return error != null;
    }

    /**
     * The first criterion that does not match, or {@code null} when the policy matches. Targets are
     * checked last, so that an {@code AUDIENCE} or {@code RESOURCE} mismatch means that everything
     * else matched: only then is the refusal {@code invalid_target} (SPEC §7 "No match").
     */
    Match match(ExchangeFacts f) {
        Mismatch miss = mismatch(f);
        if (miss != null || groups.isEmpty()) {
            return new Match(miss, List.of());
        }
        return new Match(null, matchingGroups(f));
    }

    /** The subject's groups that match any of the policy's group patterns, sorted. */
    private List<String> matchingGroups(ExchangeFacts f) {
        return f.groups().stream().filter(g -> anyMatches(groups, g)).sorted().toList();
    }

    Mismatch mismatch(ExchangeFacts f) {
        if (error != null) {
            return new Mismatch(Kind.INVALID, "policy is invalid (" + error + ")");
        }
        PolicyMatch m = policy.match();
        if (!m.clients().isEmpty() && !m.clients().contains("*") && !m.clients().contains(f.clientId())) {
            return other("client " + f.clientId() + " not listed");
        }
        if (!m.subjectTokenTypes().isEmpty() && !m.subjectTokenTypes().contains(f.subjectTokenType())) {
            return other("subject token type " + f.subjectTokenType().uri() + " not listed");
        }
        // Issuers are exact: an issuer is a trust anchor, and a glob on it would be one typo away
        // from trusting someone else's tokens.
        if (!m.issuers().isEmpty()) {
            if (f.subjectIssuer() == null) {
                return other("subject has no issuer (not a JWT) but the policy lists issuers");
            }
            if (!m.issuers().contains(f.subjectIssuer())) {
                return other("subject issuer " + f.subjectIssuer() + " not listed");
            }
        }
        if (!subjects.isEmpty() && !anyMatches(subjects, f.subject())) {
            return other("subject " + f.subject() + " does not match");
        }
        // SPEC §5a: any of the subject's groups (mapped names and SIDs) matching any pattern.
        if (!groups.isEmpty() && matchingGroups(f).isEmpty()) {
            return other(f.groups().isEmpty() ? "subject has no groups (no PAC) but the policy requires one"
                    : "none of the subject's groups " + new java.util.TreeSet<>(f.groups()) + " matches");
        }
        if (!m.requestedTokenTypes().isEmpty() && !m.requestedTokenTypes().contains(f.requestedTokenType())) {
            return other("requested token type " + f.requestedTokenType().uri() + " not listed");
        }
        if (!sources.isEmpty()) {
            InetAddress source = f.source();
            if (source == null) {
                return other("source address unknown; the policy requires allowed networks");
            }
            if (sources.stream().noneMatch(c -> c.contains(source))) {
                return other("source " + source.getHostAddress() + " outside allowed networks");
            }
        }
        // Impersonation and delegation are distinct rights (RFC 8693 §1.1): a policy that allows
        // one does not allow the other.
        if (f.actor() != null) {
            if (actors.isEmpty()) {
                return other("delegation not allowed by this policy");
            }
            // Actors are (issuer, subject): a trusted issuer minting the sub of one of the tenant's own services
            // does not become that service.
            if (actors.stream().noneMatch(a -> a.matches(f.actorIssuer(), f.actor()))) {
                return other("actor " + f.actor() + (f.actorIssuer() == null ? " (of this tenant)"
                        : " of issuer " + f.actorIssuer()) + " does not match");
            }
        } else if (!actors.isEmpty()) {
            return other("impersonation not allowed by this policy (it requires an actor_token)");
        }
        if (f.audiences().isEmpty() && f.resources().isEmpty()) {
            return other("no audience or resource requested");
        }
        // Every requested target must be permitted, not just one: a token is usable at all of them.
        for (String audience : f.audiences()) {
            if (!anyMatches(audiences, audience)) {
                return new Mismatch(Kind.AUDIENCE, "audience " + audience + " not permitted");
            }
        }
        // Inverse path (SPEC §6, §7 "Grant"): the audience is the target service principal, and the policy
        // must name it among its Kerberos targets as well as among its audiences.
        if (f.requestedTokenType().isKerberosTicket()) {
            for (String audience : f.audiences()) {
                if (!anyMatches(kerberosTargets, audience)) {
                    return new Mismatch(Kind.AUDIENCE, "audience " + audience + " is not one of the policy's kerberos_targets");
                }
            }
        }
        // RFC 8707 resources are matched against the policy's resources, or, when it lists none,
        // against its audiences (the resource is then simply the audience of the issued token).
        List<Glob> resourceGlobs = resources.isEmpty() ? audiences : resources;
        for (String resource : f.resources()) {
            if (!anyMatches(resourceGlobs, resource)) {
                return new Mismatch(Kind.RESOURCE, "resource " + resource + " not permitted");
            }
        }
        return null;
    }

    private static Mismatch other(String reason) {
        return new Mismatch(Kind.OTHER, reason);
    }

    private static boolean anyMatches(List<Glob> globs, String value) {
        for (Glob g : globs) {
            if (g.matches(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code actor} is one of the subject's {@code may_act} entries (values or globs). */
    static boolean mayAct(Set<String> mayAct, String actor) {
        for (String entry : mayAct) {
            if (entry.equals(actor)) {
                return true;
            }
            try {
                if (Glob.compile(entry).matches(actor)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // Not a valid glob: it was compared as a plain value above.
            }
        }
        return false;
    }
}
