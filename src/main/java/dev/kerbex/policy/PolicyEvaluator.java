package dev.kerbex.policy;

import dev.kerbex.protocol.OAuthErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Decides a token exchange against a tenant's policies (SPEC §7). A pure function of its arguments:
 * the clock is passed in, and the only state is a cache of compiled policies.
 *
 * <p>Thread-safe. Compiled policies are cached by policy id and reused only while the cached entry
 * was compiled from an equal policy (same revision and content), so an edit takes effect on the very
 * next decision and a dry run of an unsaved edit never sees the stored version.
 */
public final class PolicyEvaluator {

    // Client-facing descriptions (SPEC §4): the parameter and the cause, never a value.
    static final String AUDIENCE_REQUIRED = "audience: required; name the API the token is for";
    static final String MAY_ACT_REFUSED = "actor_token: not permitted by the subject token's may_act";
    static final String REFUSED_BY_POLICY = "subject_token: refused by policy";
    static final String NO_POLICY = "subject_token: no policy permits this exchange";
    static final String AUDIENCE_NOT_PERMITTED = "audience: not permitted for this client";
    static final String RESOURCE_NOT_PERMITTED = "resource: not permitted for this client";
    static final String SCOPE_NONE_GRANTABLE = "scope: none of the requested scopes can be granted";
    static final String SCOPE_NO_DEFAULT = "scope: none requested and no default scope can be granted";
    static final String EXPIRED = "subject_token: expired";

    /** Evaluation order: lowest priority first, ties by name, then id, so the result never depends on input order. */
    static final Comparator<Policy> ORDER = Comparator.comparingInt(Policy::priority)
            .thenComparing(Policy::name, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Policy::id, Comparator.nullsLast(Comparator.naturalOrder()));

    /** Bounds the cache when ids churn (deleted policies, many tenants); it is simply refilled. */
    private static final int CACHE_LIMIT = 10_000;

    private final ConcurrentMap<String, CompiledPolicy> cache = new ConcurrentHashMap<>();

    public Decision decide(ExchangeFacts facts, List<Policy> policies, Instant now) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(now, "now");

        List<CompiledPolicy> ordered = policies.stream().sorted(ORDER).map(this::compiled).toList();
        List<PolicyOutcome> outcomes = new ArrayList<>(ordered.size());
        CompiledPolicy deny = null;
        CompiledPolicy allow = null;
        CompiledPolicy.Mismatch targetMiss = null;
        for (CompiledPolicy cp : ordered) {
            CompiledPolicy.Match match = cp.match(facts);
            CompiledPolicy.Mismatch miss = match.mismatch();
            Policy p = cp.policy();
            outcomes.add(new PolicyOutcome(p, miss == null, miss == null ? null : miss.reason(), match.groups()));
            if (miss == null) {
                // The first matching policy of each effect in evaluation order is the one that decides.
                if (p.effect() == Effect.DENY && deny == null) {
                    deny = cp;
                } else if (p.effect() == Effect.ALLOW && allow == null) {
                    allow = cp;
                }
            } else if (miss.kind() == CompiledPolicy.Kind.INVALID && p.effect() == Effect.DENY && deny == null) {
                // Fail closed: a deny that cannot be evaluated must not silently stop denying.
                deny = cp;
            } else if (p.effect() == Effect.ALLOW
                    && (miss.kind() == CompiledPolicy.Kind.AUDIENCE || miss.kind() == CompiledPolicy.Kind.RESOURCE)
                    && (targetMiss == null || (targetMiss.kind() == CompiledPolicy.Kind.AUDIENCE
                            && miss.kind() == CompiledPolicy.Kind.RESOURCE))) {
                // An allow that failed only on a resource permitted every audience, so it names the parameter
                // that is actually at fault; an earlier allow's audience miss would blame a permitted audience.
                targetMiss = miss;
            }
        }

        // RFC 8693 §2.1 makes audience and resource optional, but a Kerbex token is always for some
        // API (SPEC §7: audiences are required in every policy), so a request naming none matches none.
        if (facts.audiences().isEmpty() && facts.resources().isEmpty()) {
            return new Decision.Refusal(OAuthErrorCode.INVALID_TARGET, AUDIENCE_REQUIRED, null, outcomes);
        }
        // RFC 8693 §4.4: may_act in the subject token names who may act for the subject. It is the
        // subject's own restriction, so it applies whatever the policies say.
        if (facts.actor() != null && facts.mayAct() != null && !CompiledPolicy.mayAct(facts.mayAct(), facts.actor())) {
            return new Decision.Refusal(OAuthErrorCode.INVALID_REQUEST, MAY_ACT_REFUSED, null, outcomes);
        }
        // SPEC §7: a matching deny wins over every allow, whatever the priorities.
        if (deny != null) {
            return new Decision.Refusal(OAuthErrorCode.INVALID_REQUEST, REFUSED_BY_POLICY, deny.policy(), outcomes);
        }
        if (allow == null) {
            // An allow that fails only on its targets means the client may exchange this subject, just
            // not for that API: RFC 8693 §2.2.2 invalid_target says so more usefully than a refusal.
            if (targetMiss != null) {
                String description = targetMiss.kind() == CompiledPolicy.Kind.AUDIENCE
                        ? AUDIENCE_NOT_PERMITTED : RESOURCE_NOT_PERMITTED;
                return new Decision.Refusal(OAuthErrorCode.INVALID_TARGET, description, null, outcomes);
            }
            return new Decision.Refusal(OAuthErrorCode.INVALID_REQUEST, NO_POLICY, null, outcomes);
        }
        return grant(facts, allow.policy(), now, outcomes);
    }

    /** SPEC §7 "Reduction": the lifetime and scope the winning allow grants for this request. */
    private static Decision grant(ExchangeFacts facts, Policy policy, Instant now, List<PolicyOutcome> outcomes) {
        PolicyGrant grant = policy.grant();

        // Lifetime = min(policy maximum, tenant maximum, time left on the subject), in whole seconds
        // because expires_in and exp are whole seconds; an issued token or ticket never outlives its
        // subject. Truncation comes first, so that less than a second left counts as expired.
        Duration lifetime = Duration.between(now, facts.subjectExpiry());
        lifetime = min(lifetime, facts.tenantMaxLifetime());
        if (grant.maxLifetime() != null) {
            lifetime = min(lifetime, grant.maxLifetime());
        }
        lifetime = Duration.ofSeconds(lifetime.getSeconds());
        if (lifetime.isNegative() || lifetime.isZero()) {
            return new Decision.Refusal(OAuthErrorCode.INVALID_REQUEST, EXPIRED, policy, outcomes);
        }

        // A Kerberos ticket carries no OAuth scope (SPEC §6); requesting one is not an error, and the
        // scope plays no part in the decision.
        if (facts.requestedTokenType().isKerberosTicket()) {
            return new Decision.Permit(policy, Set.of(), lifetime, outcomes);
        }

        // Scope = requested ∩ allowed, or the defaults when none is requested (RFC 6749 §3.3), and
        // never wider than the subject token's own scope (RFC 8693 §1: exchange only narrows).
        boolean requested = !facts.requestedScopes().isEmpty();
        Set<String> scope = new LinkedHashSet<>(requested ? facts.requestedScopes() : grant.defaultScopes());
        if (requested) {
            scope.retainAll(Set.copyOf(grant.scopes()));
        }
        if (facts.subjectScopes() != null) {
            scope.retainAll(facts.subjectScopes());
        }
        if (scope.isEmpty()) {
            return new Decision.Refusal(OAuthErrorCode.INVALID_SCOPE,
                    requested ? SCOPE_NONE_GRANTABLE : SCOPE_NO_DEFAULT, policy, outcomes);
        }
        return new Decision.Permit(policy, scope, lifetime, outcomes);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private CompiledPolicy compiled(Policy policy) {
        if (policy.id() == null) {
            return CompiledPolicy.compile(policy);
        }
        CompiledPolicy cached = cache.get(policy.id());
        if (cached != null && (cached.policy() == policy || cached.policy().equals(policy))) {
            return cached;
        }
        CompiledPolicy fresh = CompiledPolicy.compile(policy);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(policy.id(), fresh);
        return fresh;
    }

    /** For tests: how many compiled policies are cached. */
    int cacheSize() {
        return cache.size();
    }
}
