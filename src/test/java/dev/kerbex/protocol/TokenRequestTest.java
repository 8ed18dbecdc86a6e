package dev.kerbex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRequestTest {

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String AP_REQ = "urn:kerbex:token-type:kerberos-ap-req";
    private static final String OASIS_AP_REQ =
            "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ";
    private static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final String KRB_CRED = "urn:kerbex:token-type:kerberos-krb-cred";
    private static final String CCACHE = "urn:kerbex:token-type:kerberos-ccache";

    /** A mutable form, built in order, so a test can add, replace or remove parameters. */
    private static final class Form {
        private final Map<String, List<String>> params = new LinkedHashMap<>();

        Form add(String name, String... values) {
            params.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(values));
            return this;
        }

        Form set(String name, String... values) {
            params.put(name, new ArrayList<>(List.of(values)));
            return this;
        }

        Form without(String name) {
            params.remove(name);
            return this;
        }

        Map<String, List<String>> map() {
            return params;
        }
    }

    /** The smallest valid forward-path request. */
    private static Form minimal() {
        return new Form().add("grant_type", EXCHANGE).add("subject_token", "YIIB").add("subject_token_type", AP_REQ);
    }

    private static OAuthException rejected(Form form) {
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> TokenRequest.parse(form.map()));
        assertThat(e).as("parse should have failed").isNotNull();
        return e;
    }

    private static void assertRejected(Form form, OAuthErrorCode code, String description) {
        OAuthException e = rejected(form);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.description()).isEqualTo(description);
    }

    @Test
    void parseWhenMinimalApReqRequestThenDefaultsApply() {
        TokenRequest r = TokenRequest.parse(minimal().map());

        assertThat(r.grantType()).isEqualTo(EXCHANGE);
        assertThat(r.subjectToken()).isEqualTo("YIIB");
        assertThat(r.subjectTokenType()).isEqualTo(TokenType.KERBEROS_AP_REQ);
        assertThat(r.actorToken()).isNull();
        assertThat(r.actorTokenType()).isNull();
        assertThat(r.requestedTokenType()).isEqualTo(TokenType.ACCESS_TOKEN);
        assertThat(r.audiences()).isEmpty();
        assertThat(r.resources()).isEmpty();
        assertThat(r.requestedScopes()).isEmpty();
        assertThat(r.scopeString()).isEmpty();
        assertThat(r.credentials()).isEqualTo(TokenRequest.ClientCredentials.NONE);
    }

    @Test
    void parseWhenEveryParameterPresentThenAllAreRead() {
        Form form = new Form().add("grant_type", EXCHANGE).add("subject_token", "eyJ.s.t")
                .add("subject_token_type", JWT).add("actor_token", "eyJ.a.t").add("actor_token_type", ACCESS_TOKEN)
                .add("requested_token_type", CCACHE).add("audience", "postgres/db@EXAMPLE.TEST")
                .add("resource", "https://db.example.test/").add("scope", "read write")
                .add("client_id", "billing").add("client_secret", "s3cret-s3cret");

        TokenRequest r = TokenRequest.parse(form.map());

        assertThat(r.subjectToken()).isEqualTo("eyJ.s.t");
        assertThat(r.subjectTokenType()).isEqualTo(TokenType.JWT);
        assertThat(r.actorToken()).isEqualTo("eyJ.a.t");
        assertThat(r.actorTokenType()).isEqualTo(TokenType.ACCESS_TOKEN);
        assertThat(r.requestedTokenType()).isEqualTo(TokenType.KERBEROS_CCACHE);
        assertThat(r.audiences()).containsExactly("postgres/db@EXAMPLE.TEST");
        assertThat(r.resources()).containsExactly("https://db.example.test/");
        assertThat(r.requestedScopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(r.credentials()).isEqualTo(new TokenRequest.ClientCredentials("billing", "s3cret-s3cret", null, null));
    }

    // --- grant_type ---

    @Test
    void parseWhenGrantTypeMissingThenInvalidRequest() {
        assertRejected(minimal().without("grant_type"), OAuthErrorCode.INVALID_REQUEST, "grant_type: missing");
    }

    @Test
    void parseWhenGrantTypeEmptyThenTreatedAsMissing() {
        assertRejected(minimal().set("grant_type", ""), OAuthErrorCode.INVALID_REQUEST, "grant_type: missing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "client_credentials", "authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "URN:IETF:PARAMS:OAUTH:GRANT-TYPE:TOKEN-EXCHANGE", " urn:ietf:params:oauth:grant-type:token-exchange" })
    void parseWhenOtherGrantTypeThenUnsupportedGrantType(String grantType) {
        assertRejected(minimal().set("grant_type", grantType), OAuthErrorCode.UNSUPPORTED_GRANT_TYPE,
                "grant_type: only urn:ietf:params:oauth:grant-type:token-exchange is supported");
    }

    // --- repeated parameters ---

    @ParameterizedTest
    @ValueSource(strings = { "grant_type", "subject_token", "subject_token_type", "actor_token", "actor_token_type",
            "requested_token_type", "scope", "client_id", "client_secret", "client_assertion",
            "client_assertion_type", "unknown_extension" })
    void parseWhenSingleValuedParameterRepeatedThenInvalidRequest(String name) {
        Form form = minimal().add("actor_token", "eyJ.a.t").add("actor_token_type", JWT);
        List<String> current = form.map().get(name);
        String value = current == null ? "x" : current.get(0);
        form.set(name, value, value);

        assertRejected(form, OAuthErrorCode.INVALID_REQUEST, name + ": repeated parameter");
    }

    @Test
    void parseWhenRepeatedParameterThenRejectedBeforeGrantTypeIsChecked() {
        assertRejected(new Form().add("grant_type", "password", "password"), OAuthErrorCode.INVALID_REQUEST,
                "grant_type: repeated parameter");
    }

    @Test
    void parseWhenRepeatedWithOneEmptyValueThenStillRepeated() {
        assertRejected(minimal().add("scope", "read", ""), OAuthErrorCode.INVALID_REQUEST, "scope: repeated parameter");
    }

    @Test
    void parseWhenAudienceAndResourceRepeatThenAllKeptInOrder() {
        Form form = minimal().add("audience", "https://b.example.test", "https://a.example.test", "svc/h@R")
                .add("resource", "https://r2.example.test/x", "urn:example:r1");

        TokenRequest r = TokenRequest.parse(form.map());

        assertThat(r.audiences()).containsExactly("https://b.example.test", "https://a.example.test", "svc/h@R");
        assertThat(r.resources()).containsExactly("https://r2.example.test/x", "urn:example:r1");
    }

    @Test
    void parseWhenAudienceOrResourceValueEmptyThenThatValueIsDropped() {
        Form form = minimal().add("audience", "", "https://a.example.test", "").add("resource", "");

        TokenRequest r = TokenRequest.parse(form.map());

        assertThat(r.audiences()).containsExactly("https://a.example.test");
        assertThat(r.resources()).isEmpty();
    }

    @Test
    void parseWhenResultListsThenTheyAreImmutable() {
        TokenRequest r = TokenRequest.parse(minimal().add("audience", "a").add("scope", "x").map());

        assertThat(r.audiences()).isUnmodifiable();
        assertThat(r.resources()).isUnmodifiable();
        assertThat(r.requestedScopes()).isUnmodifiable();
    }

    // --- subject_token and subject_token_type ---

    @Test
    void parseWhenSubjectTokenTypeMissingThenInvalidRequest() {
        assertRejected(minimal().without("subject_token_type"), OAuthErrorCode.INVALID_REQUEST,
                "subject_token_type: missing");
    }

    @Test
    void parseWhenSubjectTokenTypeEmptyThenTreatedAsMissing() {
        assertRejected(minimal().set("subject_token_type", ""), OAuthErrorCode.INVALID_REQUEST,
                "subject_token_type: missing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "urn:example:unknown", "urn:ietf:params:oauth:token-type:id_token",
            "urn:ietf:params:oauth:token-type:saml2", KRB_CRED, CCACHE, "URN:KERBEX:TOKEN-TYPE:KERBEROS-AP-REQ" })
    void parseWhenSubjectTokenTypeUnknownOrNotASubjectThenInvalidRequest(String type) {
        assertRejected(minimal().set("subject_token_type", type), OAuthErrorCode.INVALID_REQUEST,
                "subject_token_type: unsupported token type");
    }

    @ParameterizedTest
    @CsvSource({
            AP_REQ + ", KERBEROS_AP_REQ",
            OASIS_AP_REQ + ", KERBEROS_AP_REQ",
            JWT + ", JWT",
            ACCESS_TOKEN + ", ACCESS_TOKEN" })
    void parseWhenSubjectTokenTypeAcceptedThenMappedAndAliasNormalised(String uri, TokenType expected) {
        TokenRequest r = TokenRequest.parse(minimal().set("subject_token_type", uri).map());

        assertThat(r.subjectTokenType()).isEqualTo(expected);
        assertThat(r.subjectTokenType().uri()).isEqualTo(expected.uri());
    }

    @Test
    void parseWhenOasisAliasThenCanonicalUriReported() {
        TokenRequest r = TokenRequest.parse(minimal().set("subject_token_type", OASIS_AP_REQ).map());

        assertThat(r.subjectTokenType().uri()).isEqualTo(AP_REQ);
    }

    @ParameterizedTest
    @ValueSource(strings = { AP_REQ, OASIS_AP_REQ })
    void parseWhenApReqSubjectWithoutTokenThenAllowedForNegotiate(String type) {
        TokenRequest r = TokenRequest.parse(minimal().without("subject_token").set("subject_token_type", type).map());

        assertThat(r.subjectToken()).isNull();
        assertThat(r.subjectTokenType()).isEqualTo(TokenType.KERBEROS_AP_REQ);
    }

    @Test
    void parseWhenApReqSubjectTokenEmptyThenTreatedAsAbsent() {
        TokenRequest r = TokenRequest.parse(minimal().set("subject_token", "").map());

        assertThat(r.subjectToken()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { JWT, ACCESS_TOKEN })
    void parseWhenNonApReqSubjectWithoutTokenThenInvalidRequest(String type) {
        assertRejected(minimal().without("subject_token").set("subject_token_type", type),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: missing");
    }

    @Test
    void parseWhenJwtSubjectTokenEmptyThenInvalidRequest() {
        assertRejected(minimal().set("subject_token", "").set("subject_token_type", JWT),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: missing");
    }

    // --- actor_token and actor_token_type ---

    @Test
    void parseWhenActorTokenWithoutTypeThenInvalidRequest() {
        assertRejected(minimal().add("actor_token", "eyJ.a.t"), OAuthErrorCode.INVALID_REQUEST,
                "actor_token_type: required when actor_token is present");
    }

    @Test
    void parseWhenActorTokenWithEmptyTypeThenInvalidRequest() {
        assertRejected(minimal().add("actor_token", "eyJ.a.t").add("actor_token_type", ""),
                OAuthErrorCode.INVALID_REQUEST, "actor_token_type: required when actor_token is present");
    }

    @Test
    void parseWhenActorTokenTypeWithoutTokenThenInvalidRequest() {
        assertRejected(minimal().add("actor_token_type", JWT), OAuthErrorCode.INVALID_REQUEST,
                "actor_token_type: present without actor_token");
    }

    @Test
    void parseWhenActorTokenEmptyWithTypeThenInvalidRequest() {
        assertRejected(minimal().add("actor_token", "").add("actor_token_type", JWT), OAuthErrorCode.INVALID_REQUEST,
                "actor_token_type: present without actor_token");
    }

    @ParameterizedTest
    @ValueSource(strings = { "urn:example:unknown", KRB_CRED, CCACHE })
    void parseWhenActorTokenTypeUnknownOrNotAnActorThenInvalidRequest(String type) {
        assertRejected(minimal().add("actor_token", "x").add("actor_token_type", type), OAuthErrorCode.INVALID_REQUEST,
                "actor_token_type: unsupported token type");
    }

    @ParameterizedTest
    @CsvSource({
            AP_REQ + ", KERBEROS_AP_REQ",
            OASIS_AP_REQ + ", KERBEROS_AP_REQ",
            JWT + ", JWT",
            ACCESS_TOKEN + ", ACCESS_TOKEN" })
    void parseWhenActorTokenWithAcceptedTypeThenBothRead(String uri, TokenType expected) {
        TokenRequest r = TokenRequest.parse(minimal().add("actor_token", "act").add("actor_token_type", uri).map());

        assertThat(r.actorToken()).isEqualTo("act");
        assertThat(r.actorTokenType()).isEqualTo(expected);
    }

    // --- requested_token_type ---

    @Test
    void parseWhenRequestedTokenTypeAbsentThenAccessToken() {
        assertThat(TokenRequest.parse(minimal().map()).requestedTokenType()).isEqualTo(TokenType.ACCESS_TOKEN);
    }

    @Test
    void parseWhenRequestedTokenTypeEmptyThenAccessToken() {
        assertThat(TokenRequest.parse(minimal().add("requested_token_type", "").map()).requestedTokenType())
                .isEqualTo(TokenType.ACCESS_TOKEN);
    }

    @ParameterizedTest
    @CsvSource({
            JWT + ", JWT",
            ACCESS_TOKEN + ", ACCESS_TOKEN",
            KRB_CRED + ", KERBEROS_KRB_CRED",
            CCACHE + ", KERBEROS_CCACHE" })
    void parseWhenRequestedTokenTypeRequestableThenMapped(String uri, TokenType expected) {
        assertThat(TokenRequest.parse(minimal().add("requested_token_type", uri).map()).requestedTokenType())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { AP_REQ, OASIS_AP_REQ, "urn:example:unknown", "urn:ietf:params:oauth:token-type:id_token" })
    void parseWhenRequestedTokenTypeUnknownOrNotRequestableThenInvalidRequest(String type) {
        assertRejected(minimal().add("requested_token_type", type), OAuthErrorCode.INVALID_REQUEST,
                "requested_token_type: unsupported token type");
    }

    // --- resource (RFC 8707) ---

    @ParameterizedTest
    @ValueSource(strings = { "https://api.example.test/", "https://api.example.test/v1?x=1", "urn:example:resource",
            "http://localhost:8080" })
    void parseWhenResourceAbsoluteWithoutFragmentThenAccepted(String resource) {
        assertThat(TokenRequest.parse(minimal().add("resource", resource).map()).resources()).containsExactly(resource);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/relative/path", "api.example.test", "https://api.example.test/#frag",
            "https://api.example.test/x#", "https://exa mple.test/", "https://[bad/" })
    void parseWhenResourceNotAbsoluteOrHasFragmentThenInvalidTarget(String resource) {
        assertRejected(minimal().add("resource", resource), OAuthErrorCode.INVALID_TARGET,
                "resource: must be an absolute URI without a fragment");
    }

    @Test
    void parseWhenSecondResourceInvalidThenInvalidTarget() {
        assertRejected(minimal().add("resource", "https://ok.example.test/", "relative"), OAuthErrorCode.INVALID_TARGET,
                "resource: must be an absolute URI without a fragment");
    }

    // --- scope ---

    static Stream<Arguments> scopes() {
        return Stream.of(
                Arguments.of("read", List.of("read")),
                Arguments.of("read write", List.of("read", "write")),
                Arguments.of("read  write", List.of("read", "write")),
                Arguments.of(" read write ", List.of("read", "write")),
                Arguments.of("read write read", List.of("read", "write")),
                Arguments.of("ledger:read https://api.example.test/x!#$%&'()*+,-./;<=>?@[]^_`{|}~",
                        List.of("ledger:read", "https://api.example.test/x!#$%&'()*+,-./;<=>?@[]^_`{|}~")),
                Arguments.of(" ", List.of()));
    }

    @ParameterizedTest
    @MethodSource("scopes")
    void parseWhenScopeThenSplitOnSpacesAndDeduplicated(String scope, List<String> expected) {
        TokenRequest r = TokenRequest.parse(minimal().add("scope", scope).map());

        assertThat(r.requestedScopes()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void scopeStringIsSortedAndSpaceDelimited() {
        TokenRequest r = TokenRequest.parse(minimal().add("scope", "write admin read write").map());

        assertThat(r.scopeString()).isEqualTo("admin read write");
    }

    @ParameterizedTest
    @ValueSource(strings = { "read \"write\"", "a\\b", "read\twrite", "caf\u00e9", "read\u007f", "x\ny" })
    void parseWhenScopeHasMalformedCharacterThenInvalidScope(String scope) {
        assertRejected(minimal().add("scope", scope), OAuthErrorCode.INVALID_SCOPE, "scope: malformed scope value");
    }

    // --- client credentials in the body ---

    @Test
    void parseWhenClientAssertionThenCredentialsCarryIt() {
        Form form = minimal().add("client_id", "billing").add("client_assertion", "eyJ.c.a")
                .add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

        TokenRequest.ClientCredentials c = TokenRequest.parse(form.map()).credentials();

        assertThat(c.clientId()).isEqualTo("billing");
        assertThat(c.clientSecret()).isNull();
        assertThat(c.clientAssertion()).isEqualTo("eyJ.c.a");
        assertThat(c.clientAssertionType()).isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    }

    @Test
    void parseWhenClientCredentialsEmptyThenTreatedAsAbsent() {
        Form form = minimal().add("client_id", "").add("client_secret", "").add("client_assertion", "")
                .add("client_assertion_type", "");

        assertThat(TokenRequest.parse(form.map()).credentials()).isEqualTo(TokenRequest.ClientCredentials.NONE);
    }

    @Test
    void parseWhenUnknownParameterThenIgnored() {
        TokenRequest r = TokenRequest.parse(minimal().add("foo", "bar").map());

        assertThat(r.subjectTokenType()).isEqualTo(TokenType.KERBEROS_AP_REQ);
    }

    // --- TokenType ---

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void fromUriWhenCanonicalUriThenThatType(TokenType type) {
        assertThat(TokenType.fromUri(type.uri())).contains(type);
    }

    @Test
    void fromUriWhenOasisAliasThenApReq() {
        assertThat(TokenType.fromUri(OASIS_AP_REQ)).contains(TokenType.KERBEROS_AP_REQ);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "urn:example:unknown", "URN:IETF:PARAMS:OAUTH:TOKEN-TYPE:JWT",
            "urn:ietf:params:oauth:token-type:jwt ", "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1" })
    void fromUriWhenUnknownThenEmpty(String uri) {
        assertThat(TokenType.fromUri(uri)).isEmpty();
    }

    @Test
    void fromUriWhenNullThenEmpty() {
        assertThat(TokenType.fromUri(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "KERBEROS_AP_REQ, urn:kerbex:token-type:kerberos-ap-req, true, false, false",
            "JWT, urn:ietf:params:oauth:token-type:jwt, true, true, false",
            "ACCESS_TOKEN, urn:ietf:params:oauth:token-type:access_token, true, true, false",
            "KERBEROS_KRB_CRED, urn:kerbex:token-type:kerberos-krb-cred, false, true, true",
            "KERBEROS_CCACHE, urn:kerbex:token-type:kerberos-ccache, false, true, true" })
    void tokenTypeTableMatchesSpecSection2(TokenType type, String uri, boolean subjectOrActor, boolean requestable,
            boolean kerberosTicket) {
        assertThat(type.uri()).isEqualTo(uri);
        assertThat(type.acceptedAsSubjectOrActor()).isEqualTo(subjectOrActor);
        assertThat(type.requestable()).isEqualTo(requestable);
        assertThat(type.isKerberosTicket()).isEqualTo(kerberosTicket);
    }

    @Test
    void tokenTypeTableCoversEveryConstant() {
        assertThat(TokenType.values()).hasSize(5);
    }

    // --- OAuthErrorCode (SPEC §4) ---

    @ParameterizedTest
    @CsvSource({
            "INVALID_REQUEST, invalid_request, 400",
            "INVALID_CLIENT, invalid_client, 401",
            "NEGOTIATE, invalid_request, 401",
            "UNAUTHORIZED_CLIENT, unauthorized_client, 400",
            "UNSUPPORTED_GRANT_TYPE, unsupported_grant_type, 400",
            "INVALID_TARGET, invalid_target, 400",
            "INVALID_SCOPE, invalid_scope, 400",
            "INVALID_DPOP_PROOF, invalid_dpop_proof, 400",
            "USE_DPOP_NONCE, use_dpop_nonce, 400",
            "RATE_LIMITED, temporarily_unavailable, 429",
            "TEMPORARILY_UNAVAILABLE, temporarily_unavailable, 503" })
    void errorCodeCarriesSpecCodeAndStatus(OAuthErrorCode code, String error, int status) {
        assertThat(code.code()).isEqualTo(error);
        assertThat(code.status()).isEqualTo(status);
    }

    @Test
    void errorCodeTableCoversEveryConstant() {
        assertThat(OAuthErrorCode.values()).hasSize(11);
    }

    @Test
    void errorResponseCarriesCodeStringAndDescriptionNotDetail() {
        OAuthException e = new OAuthException(OAuthErrorCode.RATE_LIMITED, "client: rate limit exceeded",
                "billing over 10/s", 3);

        assertThat(ErrorResponse.of(e)).isEqualTo(new ErrorResponse("temporarily_unavailable",
                "client: rate limit exceeded"));
        assertThat(e.detail()).isEqualTo("billing over 10/s");
        assertThat(e.retryAfterSeconds()).isEqualTo(3);
    }

    @Test
    void exceptionWithoutDetailUsesDescriptionAsDetail() {
        assertThat(new OAuthException(OAuthErrorCode.INVALID_SCOPE, "scope: x").detail()).isEqualTo("scope: x");
        assertThat(new OAuthException(OAuthErrorCode.INVALID_SCOPE, "scope: x", null).detail()).isEqualTo("scope: x");
    }
}
