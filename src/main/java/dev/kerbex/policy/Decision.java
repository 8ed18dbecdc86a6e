package dev.kerbex.policy;

import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The result of {@link PolicyEvaluator#decide}: a {@link Permit} or a {@link Refusal}. */
public sealed interface Decision {

    /** Every policy considered, in evaluation order (priority, then name), with why it did not match. */
    List<PolicyOutcome> outcomes();

    /** The policy that decided, {@code null} when none did. */
    Policy policy();

    /** The subject's groups that matched the deciding policy's {@code match.groups} (SPEC §5a); empty when none. */
    default List<String> decidingGroups() {
        for (PolicyOutcome o : outcomes()) {
            if (o.policy() == policy()) {
                return o.groups();
            }
        }
        return List.of();
    }

    /**
     * The exchange is allowed by {@code policy} (the winning allow).
     *
     * @param scope    the granted scope, sorted so that the issued {@code scope} string is stable
     * @param lifetime the issued token's lifetime, positive and in whole seconds
     */
    record Permit(Policy policy, Set<String> scope, Duration lifetime, List<PolicyOutcome> outcomes)
            implements Decision {

        public Permit {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(lifetime, "lifetime");
            scope = Collections.unmodifiableSortedSet(new TreeSet<>(scope == null ? Set.of() : scope));
            outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
        }

        /** The granted scope as an RFC 6749 §3.3 space-delimited string (empty when none). */
        public String scopeString() {
            return String.join(" ", (SortedSet<String>) scope);
        }

        public PolicyGrant grant() {
            return policy.grant();
        }
    }

    /**
     * The exchange is refused.
     *
     * @param description the client-facing {@code error_description} (SPEC §4: names the parameter
     *                    and the cause, never a value)
     * @param policy      the policy that decided (the matching deny, or the winning allow whose grant
     *                    could not be satisfied); {@code null} when no policy did
     */
    record Refusal(OAuthErrorCode code, String description, Policy policy, List<PolicyOutcome> outcomes)
            implements Decision {

        public Refusal {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(description, "description");
            outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
        }

        /**
         * The protocol error to throw; the deciding policy goes only into the audit detail, since
         * the client is not told which rule refused it.
         */
        public OAuthException toException() {
            String detail = policy == null ? description : description + " [policy " + policy.label()
                    + (decidingGroups().isEmpty() ? "" : ", groups " + String.join(", ", decidingGroups())) + "]";
            return new OAuthException(code, description, detail);
        }
    }
}
