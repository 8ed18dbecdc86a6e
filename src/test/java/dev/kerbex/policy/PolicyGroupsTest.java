package dev.kerbex.policy;

import static dev.kerbex.policy.Fixtures.NOW;
import static dev.kerbex.policy.Fixtures.allow;
import static dev.kerbex.policy.Fixtures.deny;
import static dev.kerbex.policy.Fixtures.facts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.protocol.OAuthErrorCode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §5a {@code match.groups}: globs on the subject's groups, any group against any pattern, empty = any. */
class PolicyGroupsTest {

    static final String READERS_SID = "S-1-5-21-1-2-3-1105";
    static final String ADMINS_SID = "S-1-5-21-1-2-3-512";

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    /**
     * @param patterns the policy's match.groups
     * @param groups   the subject's groups (mapped names and SIDs)
     * @param deciding the groups the outcome names, or null when the policy must not match
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no patterns, no groups: any subject", List.of(), List.of(), List.of()),
                Arguments.of("no patterns, some groups: any subject, no deciding groups", List.of(),
                        List.of("ledger-readers", READERS_SID), List.of()),
                Arguments.of("a name", List.of("ledger-readers"), List.of("ledger-readers", READERS_SID),
                        List.of("ledger-readers")),
                Arguments.of("a SID", List.of(READERS_SID), List.of("ledger-readers", READERS_SID), List.of(READERS_SID)),
                Arguments.of("a glob on names", List.of("ledger-*"), List.of("ledger-readers", "ledger-writers", "hr"),
                        List.of("ledger-readers", "ledger-writers")),
                Arguments.of("a glob on SIDs", List.of("S-1-5-21-*-512"), List.of(ADMINS_SID, READERS_SID),
                        List.of(ADMINS_SID)),
                Arguments.of("any of several patterns", List.of("hr", "ledger-readers"), List.of("ledger-readers"),
                        List.of("ledger-readers")),
                Arguments.of("no group matches", List.of("ledger-writers"), List.of("ledger-readers", READERS_SID), null),
                Arguments.of("a subject without groups (no PAC)", List.of("*"), List.of(), null),
                Arguments.of("case matters, as for every glob", List.of("Ledger-Readers"), List.of("ledger-readers"),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decideWhenGroupPatterns(String name, List<String> patterns, List<String> groups, List<String> deciding) {
        Policy policy = allow("readers").groups(patterns.toArray(String[]::new)).build();

        Decision d = evaluator.decide(facts().groups(groups.toArray(String[]::new)).build(), List.of(policy), NOW);

        if (deciding == null) {
            assertThat(d).isInstanceOfSatisfying(Decision.Refusal.class, r -> {
                assertThat(r.code()).isEqualTo(OAuthErrorCode.INVALID_REQUEST);
                assertThat(r.description()).isEqualTo(PolicyEvaluator.NO_POLICY);
            });
            assertThat(d.outcomes().get(0).reason()).contains(groups.isEmpty() ? "subject has no groups" : "none of the subject's groups");
        } else {
            assertThat(d).isInstanceOf(Decision.Permit.class);
            assertThat(d.decidingGroups()).isEqualTo(deciding);
            assertThat(d.outcomes().get(0).groups()).isEqualTo(deciding);
        }
    }

    @Test
    void decideWhenDenyNamesAGroupThenItWinsAndTheAuditDetailNamesTheGroup() {
        Policy readers = allow("readers").groups("ledger-*").build();
        Policy blocked = deny("blocked").groups("blocked-users").build();

        Decision d = evaluator.decide(facts().groups("ledger-readers", "blocked-users").build(),
                List.of(readers, blocked), NOW);

        assertThat(d).isInstanceOfSatisfying(Decision.Refusal.class, r -> {
            assertThat(r.description()).isEqualTo(PolicyEvaluator.REFUSED_BY_POLICY);
            assertThat(r.policy().name()).isEqualTo("blocked");
            assertThat(r.decidingGroups()).containsExactly("blocked-users");
            assertThat(r.toException().detail()).isEqualTo(
                    "subject_token: refused by policy [policy blocked (rev 1), groups blocked-users]");
        });
    }

    @Test
    void validateWhenGroupsTemplateIsNotAWholeClaimThenFieldErrors() {
        Policy policy = allow("p").groups("").claims(Map.of("groups", "${groups}", "g", "x-${groups}"))
                .subjectClaim("${groups}").build();

        assertThat(new PolicyValidator().validate(policy)).containsExactlyInAnyOrder(
                new FieldError("/match/groups/0", "pattern is empty"),
                new FieldError("/grant/claims/g", "${groups} is a JSON array: it must be the whole template of its claim"),
                new FieldError("/grant/subject_claim", "${groups} is a list: it can only be the whole template of a claim"));
    }
}
