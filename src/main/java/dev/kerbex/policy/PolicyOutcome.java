package dev.kerbex.policy;

import java.util.List;

/**
 * How one policy fared against a request, for the admin dry run (SPEC §8 {@code evaluate}) and the
 * audit trail.
 *
 * @param matched whether every criterion of the policy matched
 * @param reason  {@code null} when matched; otherwise the first criterion that failed, in words a
 *                policy admin can act on (these are admin-facing, so unlike error descriptions they
 *                may name values)
 * @param groups  the subject's groups that matched the policy's {@code match.groups} (SPEC §5a: the groups that
 *                decided); empty when the policy names no groups or did not match
 */
public record PolicyOutcome(Policy policy, boolean matched, String reason, List<String> groups) {

    public PolicyOutcome(Policy policy, boolean matched, String reason) {
        this(policy, matched, reason, null);
    }

    public PolicyOutcome {
        if (matched && reason != null) {
            throw new IllegalArgumentException("a matched outcome has no reason");
        }
        if (!matched && reason == null) {
            throw new IllegalArgumentException("an unmatched outcome needs a reason");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
