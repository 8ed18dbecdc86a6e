package dev.kerbex.policy;

import static dev.kerbex.policy.Fixtures.LEDGER;
import static dev.kerbex.policy.Fixtures.NOW;
import static dev.kerbex.policy.Fixtures.allow;
import static dev.kerbex.policy.Fixtures.deny;
import static dev.kerbex.policy.Fixtures.facts;
import static dev.kerbex.protocol.OAuthErrorCode.INVALID_REQUEST;
import static dev.kerbex.protocol.OAuthErrorCode.INVALID_SCOPE;
import static dev.kerbex.protocol.OAuthErrorCode.INVALID_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyEvaluatorTest {

    static final String IDP = "https://idp.example.test";
    static final String GATEWAY = "svc-gw/gw.corp.example@CORP.EXAMPLE";
    static final String POSTGRES = "postgres/db.corp.example@CORP.EXAMPLE";

    static final String NO_POLICY = "subject_token: no policy permits this exchange";
    static final String AUDIENCE_NOT_PERMITTED = "audience: not permitted for this client";
    static final String RESOURCE_NOT_PERMITTED = "resource: not permitted for this client";
    static final String REFUSED = "subject_token: refused by policy";
    static final String NONE_GRANTABLE = "scope: none of the requested scopes can be granted";
    static final String NO_DEFAULT = "scope: none requested and no default scope can be granted";
    static final String EXPIRED = "subject_token: expired";
    static final String MAY_ACT = "actor_token: not permitted by the subject token's may_act";

    static final Set<String> READ = Set.of("ledger:read");
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    /** Either a permit (code null) or a refusal; {@code policy} is the deciding policy's name. */
    record Expect(OAuthErrorCode code, String description, String policy, Set<String> scope, Duration lifetime) {
    }

    static Expect permit(String policy, Set<String> scope, Duration lifetime) {
        return new Expect(null, null, policy, scope, lifetime);
    }

    static Expect refusal(OAuthErrorCode code, String description, String policy) {
        return new Expect(code, description, policy, null, null);
    }

    static Expect noPolicy() {
        return refusal(INVALID_REQUEST, NO_POLICY, null);
    }

    static Arguments c(String name, List<Fixtures.PolicyBuilder> policies, Fixtures.FactsBuilder facts, Expect e) {
        return Arguments.of(name, policies.stream().map(Fixtures.PolicyBuilder::build).toList(), facts.build(), e);
    }

    static Arguments c(String name, Fixtures.PolicyBuilder policy, Fixtures.FactsBuilder facts, Expect e) {
        return c(name, List.of(policy), facts, e);
    }

    static Stream<Arguments> matching() {
        return Stream.of(
                c("defaults permit", allow("ledger"), facts(), permit("ledger", READ, TEN_MINUTES)),
                // clients
                c("client '*' matches any client", allow("ledger").clients("*"), facts().client("payroll"),
                        permit("ledger", READ, TEN_MINUTES)),
                c("client not listed", allow("ledger").clients("billing", "reports"), facts().client("payroll"),
                        noPolicy()),
                c("no clients means any", allow("ledger").clients(), facts().client("payroll"),
                        permit("ledger", READ, TEN_MINUTES)),
                // subject token types
                c("subject token type listed", allow("ledger").subjectTokenTypes(TokenType.ACCESS_TOKEN, TokenType.JWT),
                        facts().jwt(IDP, "user-42"), permit("ledger", READ, TEN_MINUTES)),
                c("subject token type not listed", allow("ledger").subjectTokenTypes(TokenType.KERBEROS_AP_REQ),
                        facts().jwt(IDP, "user-42"), noPolicy()),
                // subjects
                c("subject in realm", allow("ledger").subjects("*@CORP.EXAMPLE"), facts(),
                        permit("ledger", READ, TEN_MINUTES)),
                c("subject in other realm", allow("ledger").subjects("*@CORP.EXAMPLE"),
                        facts().subject("alice@OTHER.EXAMPLE"), noPolicy()),
                c("service principal glob", allow("ledger").subjects("svc-*/*@CORP.EXAMPLE"),
                        facts().subject("svc-billing/app.corp.example@CORP.EXAMPLE"), permit("ledger", READ, TEN_MINUTES)),
                c("user is not a service", allow("ledger").subjects("svc-*/*@CORP.EXAMPLE"), facts(), noPolicy()),
                c("JWT sub glob", allow("ledger").subjects("user-*"), facts().jwt(IDP, "user-42"),
                        permit("ledger", READ, TEN_MINUTES)),
                // issuers
                c("issuer listed", allow("ledger").issuers(IDP), facts().jwt(IDP, "user-42"),
                        permit("ledger", READ, TEN_MINUTES)),
                c("issuer not listed", allow("ledger").issuers(IDP), facts().jwt("https://other.example.test", "user-42"),
                        noPolicy()),
                c("issuer is exact, not a prefix", allow("ledger").issuers(IDP), facts().jwt(IDP + "/x", "user-42"),
                        noPolicy()),
                c("Kerberos subject has no issuer", allow("ledger").issuers(IDP), facts(), noPolicy()),
                // requested token types
                c("requested type listed", allow("ledger").requestedTokenTypes(TokenType.ACCESS_TOKEN),
                        facts().requestedTokenType(null), permit("ledger", READ, TEN_MINUTES)),
                c("requested type not listed", allow("ledger").requestedTokenTypes(TokenType.ACCESS_TOKEN),
                        facts().requestedTokenType(TokenType.JWT), noPolicy()),
                // source networks
                c("IPv4 source inside", allow("ledger").sourceCidrs("192.0.2.0/24", "10.0.0.0/8"),
                        facts().source("10.1.2.3"), permit("ledger", READ, TEN_MINUTES)),
                c("IPv4 source outside", allow("ledger").sourceCidrs("10.0.0.0/8"), facts().source("192.168.0.1"),
                        noPolicy()),
                c("source unknown", allow("ledger").sourceCidrs("10.0.0.0/8"), facts(), noPolicy()),
                c("IPv6 source inside", allow("ledger").sourceCidrs("2001:db8::/32"), facts().source("2001:db8:1::5"),
                        permit("ledger", READ, TEN_MINUTES)),
                c("IPv6 source outside", allow("ledger").sourceCidrs("2001:db8::/32"), facts().source("2001:db9::5"),
                        noPolicy()),
                c("no networks means anywhere", allow("ledger"), facts().source("198.51.100.1"),
                        permit("ledger", READ, TEN_MINUTES)));
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                c("audience exact", allow("ledger"), facts(), permit("ledger", READ, TEN_MINUTES)),
                c("audience differs", allow("ledger"), facts().audiences("https://payroll.example.test"),
                        refusal(INVALID_TARGET, AUDIENCE_NOT_PERMITTED, null)),
                c("audience glob", allow("ledger").audiences("https://*.example.test"),
                        facts().audiences(LEDGER, "https://reports.example.test"), permit("ledger", READ, TEN_MINUTES)),
                c("every audience must be permitted", allow("ledger").audiences("https://*.example.test"),
                        facts().audiences(LEDGER, "https://evil.test"),
                        refusal(INVALID_TARGET, AUDIENCE_NOT_PERMITTED, null)),
                c("resource checked against audiences", allow("ledger"), facts().audiences().resources(LEDGER),
                        permit("ledger", READ, TEN_MINUTES)),
                c("resource outside audiences", allow("ledger"), facts().resources(LEDGER + "/accounts"),
                        refusal(INVALID_TARGET, RESOURCE_NOT_PERMITTED, null)),
                c("resource in resources list", allow("ledger").resources(LEDGER + "/api/*"),
                        facts().audiences().resources(LEDGER + "/api/v1"), permit("ledger", READ, TEN_MINUTES)),
                c("resources list replaces audiences for resources", allow("ledger").resources(LEDGER + "/api/*"),
                        facts().audiences().resources(LEDGER), refusal(INVALID_TARGET, RESOURCE_NOT_PERMITTED, null)),
                c("no audience and no resource", allow("ledger").audiences("*"), facts().audiences(),
                        refusal(INVALID_TARGET, "audience: required; name the API the token is for", null)),
                c("no policies at all", List.of(), facts(), noPolicy()),
                c("target miss of one allow beats other misses",
                        List.of(allow("other-client").clients("payroll"), allow("ledger").audiences("https://x.test")),
                        facts(), refusal(INVALID_TARGET, AUDIENCE_NOT_PERMITTED, null)),
                c("target miss needs everything else to match",
                        List.of(allow("ledger").subjects("*@OTHER").audiences("https://x.test")), facts(), noPolicy()),
                c("target miss of a deny is no hint",
                        List.of(deny("block").audiences("https://x.test"), allow("ledger").clients("payroll")),
                        facts(), noPolicy()));
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                c("deny wins over a higher-priority allow",
                        List.of(allow("ledger").priority(1), deny("block").priority(500).subjects("alice@*")),
                        facts(), refusal(INVALID_REQUEST, REFUSED, "block")),
                c("deny that does not match is ignored",
                        List.of(allow("ledger").priority(1), deny("block").subjects("mallory@*")),
                        facts(), permit("ledger", READ, TEN_MINUTES)),
                c("lowest priority wins",
                        List.of(allow("wide").priority(200).scopes("ledger:read", "ledger:admin")
                                .defaultScopes("ledger:admin"), allow("narrow").priority(100)),
                        facts(), permit("narrow", READ, TEN_MINUTES)),
                c("tie broken by name",
                        List.of(allow("b-second").maxLifetime(Duration.ofMinutes(2)),
                                allow("a-first").maxLifetime(Duration.ofMinutes(1))),
                        facts(), permit("a-first", READ, Duration.ofMinutes(1))),
                c("an invalid deny fails closed",
                        List.of(allow("ledger"), deny("broken").audiences("bad\\")), facts(),
                        refusal(INVALID_REQUEST, REFUSED, "broken")),
                c("an invalid allow never matches",
                        List.of(allow("broken").subjects("bad\\")), facts(), noPolicy()));
    }

    static Stream<Arguments> scopes() {
        return Stream.of(
                c("requested ∩ allowed", allow("ledger"), facts().scopes("ledger:read", "ledger:write", "admin"),
                        permit("ledger", Set.of("ledger:read", "ledger:write"), TEN_MINUTES)),
                c("defaults when none requested", allow("ledger").defaultScopes("ledger:read", "ledger:write"),
                        facts(), permit("ledger", Set.of("ledger:read", "ledger:write"), TEN_MINUTES)),
                c("nothing requested can be granted", allow("ledger"), facts().scopes("admin"),
                        refusal(INVALID_SCOPE, NONE_GRANTABLE, "ledger")),
                c("never wider than the subject's scope", allow("ledger"),
                        facts().scopes("ledger:read", "ledger:write").subjectScopes("ledger:read", "mail"),
                        permit("ledger", READ, TEN_MINUTES)),
                c("defaults narrowed by the subject's scope", allow("ledger").defaultScopes("ledger:read", "ledger:write"),
                        facts().subjectScopes("ledger:write"), permit("ledger", Set.of("ledger:write"), TEN_MINUTES)),
                c("subject scope leaves nothing requested", allow("ledger"),
                        facts().scopes("ledger:write").subjectScopes("ledger:read"),
                        refusal(INVALID_SCOPE, NONE_GRANTABLE, "ledger")),
                c("subject scope leaves no default", allow("ledger"), facts().subjectScopes("mail"),
                        refusal(INVALID_SCOPE, NO_DEFAULT, "ledger")),
                c("empty subject scope grants nothing", allow("ledger"), facts().subjectScopes(),
                        refusal(INVALID_SCOPE, NO_DEFAULT, "ledger")),
                c("no default scopes and none requested", allow("ledger").defaultScopes(), facts(),
                        refusal(INVALID_SCOPE, NO_DEFAULT, "ledger")),
                c("Kerberos tickets carry no scope",
                        allow("s4u").audiences(POSTGRES).requestedTokenTypes(TokenType.KERBEROS_KRB_CRED).scopes()
                                .defaultScopes().kerberosTargets(POSTGRES),
                        facts().jwt(IDP, "alice").audiences(POSTGRES).requestedTokenType(TokenType.KERBEROS_KRB_CRED)
                                .scopes("ledger:read"),
                        permit("s4u", Set.of(), TEN_MINUTES)),
                c("Kerberos target glob", allow("s4u").audiences("postgres/*").kerberosTargets("postgres/*@CORP.EXAMPLE"),
                        facts().jwt(IDP, "alice").audiences(POSTGRES).requestedTokenType(TokenType.KERBEROS_CCACHE),
                        permit("s4u", Set.of(), TEN_MINUTES)),
                c("audience allowed but not among the Kerberos targets",
                        allow("s4u").audiences("postgres/*").kerberosTargets("postgres/other@CORP.EXAMPLE"),
                        facts().jwt(IDP, "alice").audiences(POSTGRES).requestedTokenType(TokenType.KERBEROS_KRB_CRED),
                        refusal(INVALID_TARGET, AUDIENCE_NOT_PERMITTED, null)),
                c("no Kerberos targets: no tickets, even for a listed audience", allow("s4u").audiences(POSTGRES),
                        facts().jwt(IDP, "alice").audiences(POSTGRES).requestedTokenType(TokenType.KERBEROS_KRB_CRED),
                        refusal(INVALID_TARGET, AUDIENCE_NOT_PERMITTED, null)),
                c("Kerberos targets do not restrict JWTs", allow("ledger").kerberosTargets(POSTGRES), facts(),
                        permit("ledger", READ, TEN_MINUTES)));
    }

    static Stream<Arguments> lifetimes() {
        return Stream.of(
                c("policy maximum is smallest", allow("ledger"), facts(), permit("ledger", READ, TEN_MINUTES)),
                c("tenant maximum when the policy has none", allow("ledger").maxLifetime(null), facts(),
                        permit("ledger", READ, Duration.ofHours(1))),
                c("tenant maximum is smallest", allow("ledger"), facts().tenantMaxLifetime(Duration.ofMinutes(5)),
                        permit("ledger", READ, Duration.ofMinutes(5))),
                c("subject expiry is smallest", allow("ledger"), facts().expiresIn(Duration.ofSeconds(90)),
                        permit("ledger", READ, Duration.ofSeconds(90))),
                c("truncated to whole seconds", allow("ledger"), facts().expiresIn(Duration.ofMillis(1_999)),
                        permit("ledger", READ, Duration.ofSeconds(1))),
                c("less than a second left is expired", allow("ledger"), facts().expiresIn(Duration.ofMillis(999)),
                        refusal(INVALID_REQUEST, EXPIRED, "ledger")),
                c("expired now", allow("ledger"), facts().subjectExpiry(NOW), refusal(INVALID_REQUEST, EXPIRED, "ledger")),
                c("expired an hour ago", allow("ledger"), facts().expiresIn(Duration.ofHours(-1)),
                        refusal(INVALID_REQUEST, EXPIRED, "ledger")));
    }

    static Stream<Arguments> delegation() {
        return Stream.of(
                c("actor refused by a policy without actors", allow("ledger"), facts().actor(GATEWAY), noPolicy()),
                c("actor matches", allow("ledger").actors("svc-gw/*@CORP.EXAMPLE"), facts().actor(GATEWAY),
                        permit("ledger", READ, TEN_MINUTES)),
                c("actor does not match", allow("ledger").actors("svc-gw/*@CORP.EXAMPLE"),
                        facts().actor("svc-other/h@CORP.EXAMPLE"), noPolicy()),
                c("delegation policy does not allow impersonation", allow("ledger").actors("*"), facts(), noPolicy()),
                c("a plain pattern names the tenant's own actors only", allow("ledger").actors("*"),
                        facts().actor("https://idp.example", GATEWAY), noPolicy()),
                c("a trusted issuer minting an own service's sub is not that service",
                        allow("ledger").actors("svc-gw/*@CORP.EXAMPLE"), facts().actor("https://idp.example", GATEWAY),
                        noPolicy()),
                c("an issuer-qualified pattern names that issuer's actor",
                        allow("ledger").actors("https://idp.example#svc-gw/*"),
                        facts().actor("https://idp.example", "svc-gw/partner"), permit("ledger", READ, TEN_MINUTES)),
                c("an issuer-qualified pattern is no own actor", allow("ledger").actors("https://idp.example#*"),
                        facts().actor(GATEWAY), noPolicy()),
                c("an issuer-qualified pattern is exact on the issuer", allow("ledger").actors("https://idp.example#*"),
                        facts().actor("https://idp.example/", "svc"), noPolicy()),
                c("impersonation and delegation are separate policies",
                        List.of(allow("impersonate").priority(1),
                                allow("delegate").priority(2).actors(GATEWAY).maxLifetime(Duration.ofMinutes(3))),
                        facts().actor(GATEWAY), permit("delegate", READ, Duration.ofMinutes(3))),
                c("may_act names the actor", allow("ledger").actors("*"), facts().actor(GATEWAY).mayAct(GATEWAY),
                        permit("ledger", READ, TEN_MINUTES)),
                c("may_act glob covers the actor", allow("ledger").actors("*"),
                        facts().actor(GATEWAY).mayAct("alice@CORP.EXAMPLE", "svc-gw/*@CORP.EXAMPLE"),
                        permit("ledger", READ, TEN_MINUTES)),
                c("may_act without the actor", allow("ledger").actors("*"),
                        facts().actor(GATEWAY).mayAct("svc-other/h@CORP.EXAMPLE"),
                        refusal(INVALID_REQUEST, MAY_ACT, null)),
                c("empty may_act admits nobody", allow("ledger").actors("*"), facts().actor(GATEWAY).mayAct(),
                        refusal(INVALID_REQUEST, MAY_ACT, null)),
                c("may_act entry that is no valid glob is compared literally", allow("ledger").actors("*"),
                        facts().actor("odd\\").mayAct("odd\\"), permit("ledger", READ, TEN_MINUTES)),
                c("may_act without an actor is irrelevant", allow("ledger"), facts().mayAct(GATEWAY),
                        permit("ledger", READ, TEN_MINUTES)),
                c("may_act refusal comes before a deny",
                        List.of(allow("ledger").actors("*"), deny("block").actors("*")),
                        facts().actor(GATEWAY).mayAct("nobody"), refusal(INVALID_REQUEST, MAY_ACT, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"matching", "targets", "precedence", "scopes", "lifetimes", "delegation"})
    void decide(String name, List<Policy> policies, ExchangeFacts facts, Expect expect) {
        Decision decision = evaluator.decide(facts, policies, NOW);

        assertThat(decision.outcomes()).hasSameSizeAs(policies);
        if (expect.code() == null) {
            assertThat(decision).isInstanceOf(Decision.Permit.class);
            Decision.Permit permit = (Decision.Permit) decision;
            assertThat(permit.policy().name()).isEqualTo(expect.policy());
            assertThat(permit.scope()).containsExactlyInAnyOrderElementsOf(expect.scope());
            assertThat(permit.lifetime()).isEqualTo(expect.lifetime());
        } else {
            assertThat(decision).isInstanceOf(Decision.Refusal.class);
            Decision.Refusal refusal = (Decision.Refusal) decision;
            assertThat(refusal.code()).isEqualTo(expect.code());
            assertThat(refusal.description()).isEqualTo(expect.description());
            assertThat(refusal.policy() == null ? null : refusal.policy().name()).isEqualTo(expect.policy());
        }
    }

    @Test
    void outcomesListEveryPolicyInEvaluationOrderWithTheFirstReason() {
        List<Policy> policies = new ArrayList<>(List.of(
                allow("winner").priority(40).build(),
                allow("z-also-matches").priority(40).maxLifetime(null).build(),
                deny("other-realm").priority(10).subjects("*@OTHER").build(),
                allow("client-miss").priority(20).clients("payroll").build(),
                allow("aud-miss").priority(30).audiences("https://x.example.test").build(),
                allow("type-miss").priority(50).subjectTokenTypes(TokenType.JWT).build(),
                allow("issuer-miss").priority(51).issuers(IDP).build(),
                allow("req-type-miss").priority(52).requestedTokenTypes(TokenType.JWT).build(),
                allow("net-miss").priority(53).sourceCidrs("10.0.0.0/8").build(),
                allow("delegation-only").priority(54).actors("*").build(),
                allow("res-miss").priority(55).resources("https://other.example.test/*").build(),
                allow("broken").priority(56).subjects("x\\").build(),
                // first failing criterion is reported: the client, not the subject
                allow("two-misses").priority(57).clients("payroll").subjects("*@OTHER").build()));
        Collections.shuffle(policies, new java.util.Random(7));
        ExchangeFacts facts = facts().resources(LEDGER).source("192.0.2.1").build();

        Decision decision = evaluator.decide(facts, policies, NOW);

        assertThat(decision).isInstanceOf(Decision.Permit.class);
        assertThat(((Decision.Permit) decision).policy().name()).isEqualTo("winner");
        assertThat(decision.outcomes()).extracting(o -> o.policy().name(), PolicyOutcome::matched, PolicyOutcome::reason)
                .containsExactly(
                        tuple("other-realm", false,
                                "subject alice@CORP.EXAMPLE does not match"),
                        tuple("client-miss", false, "client billing not listed"),
                        tuple("aud-miss", false,
                                "audience https://ledger.example.test not permitted"),
                        tuple("winner", true, null),
                        tuple("z-also-matches", true, null),
                        tuple("type-miss", false,
                                "subject token type urn:kerbex:token-type:kerberos-ap-req not listed"),
                        tuple("issuer-miss", false,
                                "subject has no issuer (not a JWT) but the policy lists issuers"),
                        tuple("req-type-miss", false,
                                "requested token type urn:ietf:params:oauth:token-type:access_token not listed"),
                        tuple("net-miss", false,
                                "source 192.0.2.1 outside allowed networks"),
                        tuple("delegation-only", false,
                                "impersonation not allowed by this policy (it requires an actor_token)"),
                        tuple("res-miss", false,
                                "resource https://ledger.example.test not permitted"),
                        tuple("broken", false,
                                "policy is invalid (pattern 'x\\': pattern ends with an unfinished escape '\\')"),
                        tuple("two-misses", false, "client billing not listed"));
    }

    @Test
    void outcomesExplainDelegationAndTargets() {
        List<Policy> policies = List.of(
                allow("a-no-actors").build(),
                allow("b-other-actor").actors("svc-other/*@CORP.EXAMPLE").build(),
                allow("c-jwt-issuer").issuers(IDP).build(),
                allow("d-unknown-source").sourceCidrs("10.0.0.0/8").build());
        Decision decision = evaluator.decide(facts().jwt("https://elsewhere.test", "u1").actor(GATEWAY)
                .audiences().build(), policies, NOW);

        assertThat(decision).isEqualTo(new Decision.Refusal(INVALID_TARGET,
                "audience: required; name the API the token is for", null, decision.outcomes()));
        assertThat(decision.outcomes()).extracting(PolicyOutcome::reason).containsExactly(
                "delegation not allowed by this policy",
                "actor svc-gw/gw.corp.example@CORP.EXAMPLE (of this tenant) does not match",
                "subject issuer https://elsewhere.test not listed",
                "source address unknown; the policy requires allowed networks");
        Decision noTarget = evaluator.decide(facts().audiences().build(), List.of(allow("x").build()), NOW);
        assertThat(noTarget.outcomes()).extracting(PolicyOutcome::reason)
                .containsExactly("no audience or resource requested");
    }

    @Test
    void refusalBecomesAnOAuthExceptionWithThePolicyOnlyInTheDetail() {
        Decision decision = evaluator.decide(facts().build(),
                List.of(deny("block").revision(3).build()), NOW);

        OAuthException e = ((Decision.Refusal) decision).toException();
        assertThat(e.code()).isEqualTo(INVALID_REQUEST);
        assertThat(e.description()).isEqualTo(REFUSED);
        assertThat(e.detail()).isEqualTo(REFUSED + " [policy block (rev 3)]");
    }

    @Test
    void permitScopeIsSortedAndSpaceDelimited() {
        Decision decision = evaluator.decide(facts().scopes("ledger:write", "ledger:read").build(),
                List.of(allow("ledger").build()), NOW);

        Decision.Permit permit = (Decision.Permit) decision;
        assertThat(permit.scope()).containsExactly("ledger:read", "ledger:write");
        assertThat(permit.scopeString()).isEqualTo("ledger:read ledger:write");
        assertThat(permit.grant()).isSameAs(permit.policy().grant());
    }

    @Test
    void compiledPoliciesFollowEditsAndDryRuns() {
        Policy v1 = allow("ledger").id("p1").revision(1).build();
        Policy v2 = allow("ledger").id("p1").revision(2).audiences("https://reports.example.test").build();
        // a dry run of an unsaved edit: same id and revision as v1, other content
        Policy draft = allow("ledger").id("p1").revision(1).audiences("https://draft.example.test").build();

        assertThat(evaluator.decide(facts().build(), List.of(v1), NOW)).isInstanceOf(Decision.Permit.class);
        assertThat(evaluator.decide(facts().build(), List.of(v1), NOW)).isInstanceOf(Decision.Permit.class);
        assertThat(evaluator.decide(facts().build(), List.of(v2), NOW)).isInstanceOf(Decision.Refusal.class);
        assertThat(evaluator.decide(facts().audiences("https://draft.example.test").build(), List.of(draft), NOW))
                .isInstanceOf(Decision.Permit.class);
        assertThat(evaluator.decide(facts().build(), List.of(v1), NOW)).isInstanceOf(Decision.Permit.class);
        assertThat(evaluator.cacheSize()).isEqualTo(1);
    }

    @Test
    void factsNormaliseMissingValues() {
        ExchangeFacts f = new ExchangeFacts("c", TokenType.KERBEROS_AP_REQ, "a@R", null, null, null, null, null,
                null, null, null, NOW, Duration.ofHours(1), null);
        assertThat(f.audiences()).isEmpty();
        assertThat(f.resources()).isEmpty();
        assertThat(f.requestedScopes()).isEmpty();
        assertThat(f.requestedTokenType()).isEqualTo(TokenType.ACCESS_TOKEN);
        assertThat(f.subjectScopes()).isNull();
        assertThat(f.mayAct()).isNull();
    }
}
