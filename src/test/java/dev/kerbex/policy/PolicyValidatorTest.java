package dev.kerbex.policy;

import static dev.kerbex.policy.Fixtures.allow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.protocol.TokenType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyValidatorTest {

    private final PolicyValidator validator = new PolicyValidator();

    /** A complete, valid policy in the shape of the SPEC §12 example. */
    static Fixtures.PolicyBuilder valid() {
        return allow("billing-reads-ledger")
                .subjectTokenTypes(TokenType.KERBEROS_AP_REQ)
                .subjects("*@EXAMPLE.TEST")
                .requestedTokenTypes(TokenType.ACCESS_TOKEN)
                .sourceCidrs("10.0.0.0/8", "2001:db8::/32")
                .claims(Map.of("dept", "billing", "who", "${principal}"))
                .subjectClaim("${principal}")
                .kerberosTargets("postgres/db.example.test@EXAMPLE.TEST")
                .kerberosUserPrincipal("${krb_principal}");
    }

    @Test
    void validPolicyHasNoErrors() {
        assertThat(validator.validate(valid().build())).isEmpty();
        assertThat(validator.validate(valid().priority(0).build())).isEmpty();
        assertThat(validator.validate(valid().priority(1_000_000).maxLifetime(Duration.ofHours(24)).build()))
                .isEmpty();
        assertThat(validator.validate(valid().maxLifetime(null).name("a".repeat(128)).build())).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.<Arguments>of(
                c("name missing", b -> b.name(null), "/name", "required"),
                c("name empty", b -> b.name(""), "/name", "required"),
                c("name too long", b -> b.name("a".repeat(129)), "/name", "must be at most 128 characters"),
                c("name with space", b -> b.name("billing ledger"), "/name",
                        "may contain only letters, digits, '.', '_' and '-'"),
                c("effect missing", b -> b.effect(null), "/effect", "required: allow or deny"),
                c("priority negative", b -> b.priority(-1), "/priority", "must be between 0 and 1000000"),
                c("priority too high", b -> b.priority(1_000_001), "/priority", "must be between 0 and 1000000"),
                c("blank client", b -> b.clients("billing", " "), "/match/clients/1", "must not be empty"),
                c("AP-REQ cannot be requested", b -> b.requestedTokenTypes(TokenType.ACCESS_TOKEN,
                        TokenType.KERBEROS_AP_REQ), "/match/requested_token_types/1",
                        "urn:kerbex:token-type:kerberos-ap-req cannot be requested"),
                c("ccache is no subject", b -> b.subjectTokenTypes(TokenType.KERBEROS_CCACHE),
                        "/match/subject_token_types/0", "urn:kerbex:token-type:kerberos-ccache cannot be a subject token"),
                c("subject glob", b -> b.subjects("*@X", "bad\\"), "/match/subjects/1",
                        "pattern ends with an unfinished escape '\\'"),
                c("blank issuer", b -> b.issuers(""), "/match/issuers/0", "must not be empty"),
                c("audiences missing", b -> b.audiences(), "/match/audiences", "required: name at least one audience"),
                c("audience glob empty", b -> b.audiences(""), "/match/audiences/0", "pattern is empty"),
                c("resource glob too long", b -> b.resources("r".repeat(513)), "/match/resources/0",
                        "pattern is longer than 512 characters"),
                c("actor glob", b -> b.actors("x\\"), "/match/actors/0", "pattern ends with an unfinished escape '\\'"),
                c("actor of an issuer without #", b -> b.actors("https://idp.example.com"), "/match/actors/0",
                        "an actor of a trusted issuer is written <issuer>#<sub glob>, e.g. https://idp.example.com#svc-*"),
                c("actor of an issuer without a glob", b -> b.actors("https://idp.example.com#"), "/match/actors/0",
                        "no sub glob after '#'"),
                c("actor of an issuer with a query", b -> b.actors("https://idp.example.com?x=1#svc"), "/match/actors/0",
                        "issuer 'https://idp.example.com?x=1' is not an absolute URL without a query"),
                c("cidr host name", b -> b.sourceCidrs("10.0.0.0/8", "intranet"), "/match/source_cidrs/1",
                        "'intranet' is not an IP address (host names are not allowed)"),
                c("cidr host bits", b -> b.sourceCidrs("10.0.0.1/8"), "/match/source_cidrs/0",
                        "host bits are set; did you mean 10.0.0.0/8?"),
                c("scope token with space", b -> b.scopes("ledger:read", "a b").defaultScopes(), "/grant/scopes/1",
                        "not a valid scope token (RFC 6749 §3.3)"),
                c("default not in scopes", b -> b.scopes("ledger:read").defaultScopes("ledger:read", "ledger:write"),
                        "/grant/default_scopes/1", "'ledger:write' is not one of the grant's scopes"),
                c("lifetime zero", b -> b.maxLifetime(Duration.ZERO), "/grant/max_lifetime", "must be positive"),
                c("lifetime negative", b -> b.maxLifetime(Duration.ofSeconds(-5)), "/grant/max_lifetime",
                        "must be positive"),
                c("lifetime over a day", b -> b.maxLifetime(Duration.ofHours(24).plusSeconds(1)),
                        "/grant/max_lifetime", "must be at most PT24H"),
                c("reserved claim", b -> b.claims(Map.of("sub", "x")), "/grant/claims/sub",
                        "'sub' is set by Kerbex and cannot be overridden"),
                c("reserved krb_principal", b -> b.claims(Map.of("krb_principal", "x")), "/grant/claims/krb_principal",
                        "'krb_principal' is set by Kerbex and cannot be overridden"),
                c("claim pointer escaped", b -> b.claims(Map.of("a/b~c", "${x")), "/grant/claims/a~1b~0c",
                        "'${' at position 0 is not closed by '}'"),
                c("claim name blank", b -> b.claims(Map.of(" ", "x")), "/grant/claims/ ",
                        "claim name must not be empty or start or end with whitespace"),
                c("subject template", b -> b.subjectClaim("${}"), "/grant/subject_claim",
                        "'${}' at position 0 names no variable"),
                c("user principal template", b -> b.kerberosUserPrincipal(" "), "/grant/kerberos_user_principal",
                        "must not be empty"),
                c("target without host", b -> b.kerberosTargets("postgres@EXAMPLE.TEST"), "/grant/kerberos_targets/0",
                        "must look like service/host@REALM"),
                c("target without realm", b -> b.kerberosTargets("HTTP/web.example.test"), "/grant/kerberos_targets/0",
                        "must look like service/host@REALM"),
                c("target with space", b -> b.kerberosTargets("HTTP/web example@R"), "/grant/kerberos_targets/0",
                        "must look like service/host@REALM"));
    }

    private static Arguments c(String name, UnaryOperator<Fixtures.PolicyBuilder> change, String pointer,
            String message) {
        return Arguments.of(name, change, pointer, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void validateWhenFieldInvalidThenPointerAndMessage(String name, UnaryOperator<Fixtures.PolicyBuilder> change,
            String pointer, String message) {
        assertThat(validator.validate(change.apply(valid()).build()))
                .containsExactly(new FieldError(pointer, message));
    }

    @Test
    void validateReportsEveryErrorInOrder() {
        Policy policy = new Policy(null, 0, "", null, -1, null, null);
        assertThat(validator.validate(policy)).containsExactly(
                new FieldError("/name", "required"),
                new FieldError("/effect", "required: allow or deny"),
                new FieldError("/priority", "must be between 0 and 1000000"),
                new FieldError("/match/audiences", "required: name at least one audience"));
    }

    @Test
    void claimErrorsComeSortedByName() {
        Policy policy = valid().claims(Map.of("scope", "x", "aud", "y", "iss", "z")).build();
        assertThat(validator.validate(policy)).extracting(FieldError::pointer)
                .containsExactly("/grant/claims/aud", "/grant/claims/iss", "/grant/claims/scope");
    }

    @Test
    void everyReservedClaimIsRefused() {
        for (String claim : List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "act",
                "cnf", "tenant", "auth_time", "krb_principal")) {
            assertThat(validator.validate(valid().claims(Map.of(claim, "v")).build()))
                    .as(claim).extracting(FieldError::pointer).containsExactly("/grant/claims/" + claim);
        }
    }
}
