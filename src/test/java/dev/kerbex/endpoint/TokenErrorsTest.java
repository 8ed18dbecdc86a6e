package dev.kerbex.endpoint;

import static dev.kerbex.testing.KerbexTestResource.BILLING;
import static dev.kerbex.testing.KerbexTestResource.BILLING_SECRET;
import static dev.kerbex.testing.KerbexTestResource.LEDGER;
import static dev.kerbex.testing.KerbexTestResource.NO_EXCHANGE;
import static dev.kerbex.testing.KerbexTestResource.NO_EXCHANGE_SECRET;
import static dev.kerbex.testing.KerbexTestResource.PAYROLL;
import static dev.kerbex.testing.KerbexTestResource.REPORTING;
import static dev.kerbex.testing.KerbexTestResource.REPORTING_SECRET;
import static dev.kerbex.testing.KerbexTestResource.THROTTLED;
import static dev.kerbex.testing.KerbexTestResource.THROTTLED_SECRET;
import static dev.kerbex.testing.TokenRequests.ACCESS_TOKEN;
import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.GRANT;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TicketForge;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §4 through HTTP, one parameterized test per row of the error table, plus the Kerberos negative
 * matrix of SPEC §5 and a hostile-input sweep that must never produce a 500. Every refusal is checked for
 * its status, {@code error}, exact {@code error_description}, {@code Cache-Control: no-store} and JSON
 * content type; where the refusal is a decision of the exchange, also for its audit row.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class TokenErrorsTest {
    static final String TOKEN_PATH = "/tenants/" + KerbexTestResource.TENANT + "/oauth2/token";
    static final String FORM = "application/x-www-form-urlencoded";
    static final String UNKNOWN_AUDIENCE = "https://unknown.example.test";
    static final RestAssuredConfig RAW = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
            .encodeContentTypeAs(FORM, ContentType.BINARY)
            .encodeContentTypeAs(FORM + "; charset=UTF-16", ContentType.BINARY)
            .appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Inject
    AgroalDataSource dataSource;

    // ---------------------------------------------------------------- invalid_request (syntax)

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                parsed("missing grant_type", () -> aliceForLedger().without("grant_type").billing().post(),
                        "grant_type: missing"),
                parsed("empty grant_type counts as missing",
                        () -> aliceForLedger().without("grant_type").param("grant_type", "").billing().post(),
                        "grant_type: missing"),
                parsed("missing subject_token_type",
                        () -> aliceForLedger().without("subject_token_type").billing().post(),
                        "subject_token_type: missing"),
                parsed("unknown subject_token_type",
                        () -> aliceForLedger().without("subject_token_type")
                                .param("subject_token_type", "urn:example:token-type:unknown").billing().post(),
                        "subject_token_type: unsupported token type"),
                parsed("issued-only type as subject_token_type",
                        () -> aliceForLedger().without("subject_token_type")
                                .param("subject_token_type", "urn:kerbex:token-type:kerberos-krb-cred").billing().post(),
                        "subject_token_type: unsupported token type"),
                parsed("JWT subject type without subject_token",
                        () -> exchange().param("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
                                .param("audience", LEDGER).billing().post(),
                        "subject_token: missing"),
                parsed("repeated scope", () -> aliceForLedger().param("scope", "ledger:read")
                        .param("scope", "ledger:write").billing().post(), "scope: repeated parameter"),
                parsed("repeated subject_token", () -> aliceForLedger().param("subject_token", "AAAA").billing().post(),
                        "subject_token: repeated parameter"),
                parsed("repeated grant_type", () -> aliceForLedger().param("grant_type", GRANT).billing().post(),
                        "grant_type: repeated parameter"),
                parsed("actor_token without actor_token_type",
                        () -> aliceForLedger().param("actor_token", "eyJhbGciOiJub25lIn0.e30.").billing().post(),
                        "actor_token_type: required when actor_token is present"),
                parsed("actor_token_type without actor_token",
                        () -> aliceForLedger().param("actor_token_type", ACCESS_TOKEN).billing().post(),
                        "actor_token_type: present without actor_token"),
                parsed("unknown requested_token_type",
                        () -> aliceForLedger().param("requested_token_type", AP_REQ).billing().post(),
                        "requested_token_type: unsupported token type"),
                parsed("subject_token not base64",
                        () -> exchange().param("subject_token_type", AP_REQ).param("subject_token", "not*base64!")
                                .param("audience", LEDGER).billing().post(),
                        "subject_token: not valid base64"),
                parsed("client_secret without client_id",
                        () -> aliceForLedger().param("client_secret", BILLING_SECRET).post(),
                        "client_id: missing with client_secret"),
                parsed("client_id differs from the Basic credentials",
                        () -> aliceForLedger().param("client_id", REPORTING).billing().post(),
                        "client_id: differs from the Basic credentials"),
                parsed("JSON body", () -> given().contentType("application/json")
                        .body("{\"grant_type\":\"" + GRANT + "\"}").post(TOKEN_PATH),
                        "request body: must be application/x-www-form-urlencoded"),
                parsed("text/plain body", () -> given().contentType("text/plain").body(aliceForLedger().body())
                        .post(TOKEN_PATH), "request body: must be application/x-www-form-urlencoded"),
                parsed("body of 70,000 bytes",
                        () -> aliceForLedger().param("padding", "p".repeat(70_000)).billing().post(),
                        "request body exceeds 65536 bytes"),
                parsed("malformed percent-encoding in a value",
                        () -> form(aliceForLedger().body() + "&scope=%zz"), "request body: malformed form encoding"),
                parsed("malformed percent-encoding in a name", () -> form("grant_type=" + GRANT + "&%zz=1"),
                        "request body: malformed form encoding"),
                parsed("truncated percent-encoding", () -> form("grant_type=" + GRANT + "&scope=abc%4"),
                        "request body: malformed form encoding"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void exchangeWhenRequestMalformedThenInvalidRequest(Supplier<Response> send, String description) {
        Response r = send.get();

        assertError(r, 400, "invalid_request", description);
        assertThat(refusal(r, "invalid_request")).containsEntry("reason", description);
    }

    @Test
    void exchangeWhenContentTypeUnparsableThenInvalidRequest() {
        // Refused by Quarkus REST before the endpoint runs; still answered in the token endpoint's format.
        Response r = given().header("Content-Type", "///;;;=")
                .body(aliceForLedger().body().getBytes(StandardCharsets.UTF_8)).post(TOKEN_PATH);

        assertError(r, 400, "invalid_request", "request body: must be application/x-www-form-urlencoded");
    }

    @Test
    void exchangeWhenAudienceAndResourceRepeatThenParsedAndJudgedAsTargets() {
        // Repeats of audience and resource are legal (SPEC §3): the request gets past parsing and is refused
        // only because the second audience is not one the ledger policy permits.
        Response r = aliceForLedger().param("audience", UNKNOWN_AUDIENCE)
                .param("resource", LEDGER).param("resource", LEDGER + "/accounts").billing().post();

        assertError(r, 400, "invalid_target", "audience: not permitted for this client");
        Map<String, Object> audit = refusal(r, "invalid_target");
        assertThat(audit.get("audiences").toString()).contains(LEDGER, UNKNOWN_AUDIENCE);
        assertThat(audit.get("resources").toString()).contains(LEDGER + "/accounts");
        assertThat(audit).containsEntry("subject", TestKdc.ALICE).containsEntry("client_id", BILLING);
    }

    @Test
    void exchangeWhenSameAudienceRepeatedThenIssued() {
        aliceForLedger().param("audience", LEDGER).billing().post().then().statusCode(200)
                .header("Cache-Control", "no-store");
    }

    // ---------------------------------------------------------------- unsupported_grant_type

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherGrants")
    void exchangeWhenGrantTypeNotTokenExchangeThenUnsupportedGrantType(String grantType) {
        Response r = aliceForLedger().without("grant_type").param("grant_type", grantType).billing().post();

        assertError(r, 400, "unsupported_grant_type",
                "grant_type: only urn:ietf:params:oauth:grant-type:token-exchange is supported");
        assertThat(refusal(r, "unsupported_grant_type")).containsEntry("outcome", "refused");
    }

    static Stream<String> otherGrants() {
        return Stream.of("client_credentials", "authorization_code", "refresh_token", "password",
                "urn:ietf:params:oauth:grant-type:jwt-bearer");
    }

    // ---------------------------------------------------------------- invalid_client

    static Stream<Arguments> failedClientAuthentication() {
        return Stream.of(
                client("wrong secret (basic)", () -> aliceForLedger().basic(BILLING, "not-the-secret").post(),
                        "client authentication failed", "client_secret_basic: wrong secret for billing"),
                client("unknown client (basic)", () -> aliceForLedger().basic("nobody", BILLING_SECRET).post(),
                        "client authentication failed", "client_secret_basic: unknown client"),
                client("wrong secret (post)", () -> aliceForLedger().param("client_id", BILLING)
                        .param("client_secret", "not-the-secret").post(),
                        "client authentication failed", "client_secret_post: wrong secret for billing"),
                client("unknown client (post)", () -> aliceForLedger().param("client_id", "nobody")
                        .param("client_secret", BILLING_SECRET).post(),
                        "client authentication failed", "client_secret_post: unknown client"),
                client("secret of another client", () -> aliceForLedger().basic(REPORTING, BILLING_SECRET).post(),
                        "client authentication failed", "client_secret_basic: wrong secret for reporting"),
                client("Basic credentials not base64", () -> aliceForLedger().authorization("Basic !!!not-base64").post(),
                        "client authentication: malformed Basic credentials", null),
                client("Basic credentials without a colon", () -> aliceForLedger()
                        .authorization("Basic " + b64("billing".getBytes(StandardCharsets.UTF_8))).post(),
                        "client authentication: malformed Basic credentials", null),
                client("Basic credentials with an empty client id", () -> aliceForLedger()
                        .authorization("Basic " + b64(":secret".getBytes(StandardCharsets.UTF_8))).post(),
                        "client authentication: malformed Basic credentials", null),
                client("private_key_jwt assertion with alg none", () -> aliceForLedger()
                        .param("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                        .param("client_assertion", "eyJhbGciOiJub25lIn0.e30.").post(),
                        "client_assertion: algorithm not allowed", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failedClientAuthentication")
    void exchangeWhenClientAuthenticationFailsThenInvalidClient(Supplier<Response> send, String description,
            String auditReason) {
        Response r = send.get();

        assertError(r, 401, "invalid_client", description);
        assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
        Map<String, Object> audit = refusal(r, "invalid_client");
        assertThat((String) audit.get("reason")).startsWith(auditReason != null ? auditReason : description);
    }

    @Test
    void exchangeWhenBasicAndClientSecretPostTogetherThenInvalidRequest() {
        Response r = aliceForLedger().param("client_id", BILLING).param("client_secret", BILLING_SECRET).billing().post();

        assertError(r, 400, "invalid_request", "client authentication: more than one method used");
        assertThat(r.header("WWW-Authenticate")).isNull();
        refusal(r, "invalid_request");
    }

    // ---------------------------------------------------------------- unauthorized_client

    @Test
    void exchangeWhenClientHasNoTokenExchangeGrantThenUnauthorizedClient() {
        Response r = aliceForLedger().basic(NO_EXCHANGE, NO_EXCHANGE_SECRET).post();

        assertError(r, 400, "unauthorized_client", "client: not allowed to use token exchange in this tenant");
        assertThat(refusal(r, "unauthorized_client")).containsEntry("client_id", NO_EXCHANGE)
                .containsEntry("subject", null);
    }

    // ---------------------------------------------------------------- invalid_request (subject token)

    static Stream<Arguments> invalidKerberosTokens() {
        return Stream.of(
                kerberos("tampered ticket", () -> TicketForge.tamperTicketCipher(forge().apReq()),
                        "DECRYPT_FAILED", "ticket does not decrypt with the service key"),
                kerberos("tampered authenticator", () -> TicketForge.tamperAuthenticatorCipher(forge().apReq()),
                        "DECRYPT_FAILED", "authenticator does not decrypt with the session key"),
                kerberos("ticket sealed with another key", () -> forge().servicePassword("not-the-service-password").gss(),
                        "DECRYPT_FAILED", "ticket does not decrypt with the service key"),
                kerberos("unknown kvno", () -> forge().kvno(7).gss(), "NO_KEY",
                        "no key for HTTP/kerbex.example.test@EXAMPLE.TEST kvno 7 enctype aes256-cts-hmac-sha1-96"),
                kerberos("real ticket for another service",
                        () -> GssTokens.krb5(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.OTHER_SERVICE),
                        "WRONG_SERVICE", "ticket is for HTTP/other.example.test@EXAMPLE.TEST, not a service of this tenant"),
                kerberos("client of a realm the tenant does not accept", () -> forge().client("bob@OTHER.TEST").gss(),
                        "FOREIGN_REALM", "client realm OTHER.TEST is not accepted by this tenant"),
                kerberos("expired ticket", () -> {
                    Instant now = Instant.now();
                    return forge().authTime(now.minus(Duration.ofHours(2))).startTime(now.minus(Duration.ofHours(2)))
                            .endTime(now.minusSeconds(600)).gss();
                }, "EXPIRED", "Kerberos ticket expired"),
                kerberos("ticket not yet valid", () -> {
                    Instant now = Instant.now();
                    return forge().startTime(now.plus(Duration.ofHours(1))).endTime(now.plus(Duration.ofHours(2))).gss();
                }, "NOT_YET_VALID", "Kerberos ticket not yet valid"),
                kerberos("authenticator 412 s old", () -> forge().ctime(Instant.now().minusSeconds(412)).gss(),
                        "CLOCK_SKEW", "clock skew 412s exceeds 300s"),
                kerberos("ticket flagged INVALID", () -> forge().invalid().gss(),
                        "INVALID_TICKET", "Kerberos ticket is marked invalid"),
                kerberos("authenticator names another client", () -> forge().authenticatorClient("mallory@EXAMPLE.TEST").gss(),
                        "CLIENT_MISMATCH", "authenticator names another client than the ticket"),
                kerberos("rc4-hmac ticket", () -> forge().enctype("rc4-hmac").gss(),
                        "WEAK_ENCTYPE", "enctype rc4-hmac is not allowed"),
                kerberos("rc4-hmac session key in an aes256 ticket", () -> forge().sessionEnctype("rc4-hmac").gss(),
                        "WEAK_ENCTYPE", "enctype rc4-hmac is not allowed"),
                kerberos("des3 ticket", () -> forge().enctype("des3-cbc-sha1").gss(),
                        "WEAK_ENCTYPE", "enctype des3-cbc-sha1 is not allowed"),
                kerberos("truncated DER", () -> {
                    byte[] gss = forge().gss();
                    return Arrays.copyOf(gss, gss.length / 2);
                }, "MALFORMED", "malformed Kerberos token"),
                kerberos("3000 nested SEQUENCEs", () -> {
                    byte[] der = nested(3000);
                    assertThat(der.length).isLessThanOrEqualTo(16 * 1024);
                    return der;
                }, "MALFORMED", "DER nesting too deep"),
                kerberos("deep nesting inside a SPNEGO mechToken", () -> TicketForge.spnegoWrap(nested(1000)),
                        "MALFORMED", "DER nesting too deep"),
                kerberos("random bytes", () -> {
                    byte[] junk = new byte[300];
                    new Random(8693).nextBytes(junk);
                    return junk;
                }, "MALFORMED", "malformed Kerberos token"),
                kerberos("AP-REQ tag around garbage", () -> TicketForge.tlv(0x6e, nested(20)),
                        "MALFORMED", "malformed Kerberos token"),
                kerberos("16 KiB + 1 byte", () -> new byte[16 * 1024 + 1], "TOO_LARGE", "Kerberos token exceeds 16384 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidKerberosTokens")
    void exchangeWhenKerberosSubjectTokenInvalidThenInvalidRequest(Supplier<byte[]> token, String category,
            String description) {
        Response r = exchange().param("subject_token_type", AP_REQ).param("subject_token", b64(token.get()))
                .param("audience", LEDGER).billing().post();

        if ("CLOCK_SKEW".equals(category)) {
            // The server's clock keeps running between forging and verifying: on a loaded machine that can
            // add a second or two to the 412 s the ticket was forged with.
            r.then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("invalid_request"))
                    .body("error_description", org.hamcrest.Matchers.matchesRegex("subject_token: clock skew 41[234]s exceeds 300s"));
        } else {
            assertError(r, 400, "invalid_request", "subject_token: " + description);
        }
        Map<String, Object> audit = refusal(r, "invalid_request");
        // The audit trail keeps the category and the detail the client is not told.
        assertThat((String) audit.get("reason")).startsWith("subject_token: " + category + ": ");
        assertThat(audit).containsEntry("client_id", BILLING).containsEntry("subject", null)
                .containsEntry("subject_token_type", AP_REQ);
    }

    @Test
    void exchangeWhenBase64LongerThanAnyAcceptableTokenThenInvalidRequest() {
        Response r = exchange().param("subject_token_type", AP_REQ).param("subject_token", "A".repeat(30_000))
                .param("audience", LEDGER).billing().post();

        assertError(r, 400, "invalid_request", "subject_token: Kerberos token exceeds 16384 bytes");
    }

    @Test
    void exchangeWhenSubjectTokenOf16KiBOfAThenMalformedNotServerError() {
        Response r = exchange().param("subject_token_type", AP_REQ).param("subject_token", "A".repeat(16 * 1024))
                .param("audience", LEDGER).billing().post();

        assertError(r, 400, "invalid_request", "subject_token: malformed Kerberos token");
    }

    @Test
    void exchangeWhenAuthenticatorReplayedThenInvalidRequest() {
        String token = GssTokens.aliceKrb5Base64();
        exchange().param("subject_token_type", AP_REQ).param("subject_token", token).param("audience", LEDGER)
                .billing().post().then().statusCode(200);

        Response replay = exchange().param("subject_token_type", AP_REQ).param("subject_token", token)
                .param("audience", LEDGER).billing().post();

        assertError(replay, 400, "invalid_request", "subject_token: authenticator replayed");
        assertThat((String) refusal(replay, "invalid_request").get("reason"))
                .isEqualTo("subject_token: REPLAYED: authenticator of alice@EXAMPLE.TEST for "
                        + "HTTP/kerbex.example.test@EXAMPLE.TEST replayed");
    }

    @Test
    void exchangeWhenReplayedThroughAnotherFramingThenStillReplayed() {
        // The replay key is the authenticator, not the bytes of the token: re-wrapping as SPNEGO changes nothing.
        byte[] gss = GssTokens.aliceKrb5();
        exchange().param("subject_token_type", AP_REQ).param("subject_token", b64(gss)).param("audience", LEDGER)
                .billing().post().then().statusCode(200);

        Response replay = exchange().param("subject_token_type", AP_REQ)
                .param("subject_token", b64(TicketForge.spnegoWrap(gss))).param("audience", LEDGER).billing().post();

        assertError(replay, 400, "invalid_request", "subject_token: authenticator replayed");
    }

    // ---------------------------------------------------------------- refused by policy

    @Test
    void exchangeWhenDenyPolicyMatchesThenRefusedByPolicy() {
        // alice would be allowed payroll by the "payroll" policy; the deny for reporting wins (SPEC §7).
        Response r = exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", PAYROLL).basic(REPORTING, REPORTING_SECRET).post();

        assertError(r, 400, "invalid_request", "subject_token: refused by policy");
        Map<String, Object> audit = refusal(r, "invalid_request");
        assertThat(audit).containsEntry("policy_id", policyId("no-payroll-for-reporting"))
                .containsEntry("subject", TestKdc.ALICE).containsEntry("client_id", REPORTING);
        assertThat((String) audit.get("reason")).contains("no-payroll-for-reporting");
    }

    @Test
    void exchangeWhenPayrollAllowedForOtherClientThenIssued() {
        // The counterpart of the deny: the same ticket and audience for billing is permitted.
        exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", PAYROLL).billing().post().then().statusCode(200);
    }

    // ---------------------------------------------------------------- invalid_target

    static Stream<Arguments> notPermittedTargets() {
        return Stream.of(
                target("unknown audience", () -> aliceForLedger().without("audience").param("audience", UNKNOWN_AUDIENCE)
                        .billing().post(), "audience: not permitted for this client"),
                target("no audience and no resource", () -> aliceForLedger().without("audience").billing().post(),
                        "audience: required; name the API the token is for"),
                target("resource outside the policy", () -> aliceForLedger().param("resource", UNKNOWN_AUDIENCE)
                        .billing().post(), "resource: not permitted for this client"),
                target("relative resource", () -> aliceForLedger().param("resource", "/ledger").billing().post(),
                        "resource: must be an absolute URI without a fragment"),
                target("resource with a fragment", () -> aliceForLedger().param("resource", LEDGER + "#frag")
                        .billing().post(), "resource: must be an absolute URI without a fragment"),
                target("resource that is no URI", () -> aliceForLedger().param("resource", "https://exa mple.test/")
                        .billing().post(), "resource: must be an absolute URI without a fragment"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notPermittedTargets")
    void exchangeWhenTargetNotPermittedThenInvalidTarget(Supplier<Response> send, String description) {
        Response r = send.get();

        assertError(r, 400, "invalid_target", description);
        assertThat(refusal(r, "invalid_target")).containsEntry("reason", description);
    }

    // ---------------------------------------------------------------- invalid_scope

    @Test
    void exchangeWhenNoRequestedScopeGrantableThenInvalidScope() {
        Response r = aliceForLedger().param("scope", "payroll:write").billing().post();

        assertError(r, 400, "invalid_scope", "scope: none of the requested scopes can be granted");
        Map<String, Object> audit = refusal(r, "invalid_scope");
        assertThat(audit).containsEntry("policy_id", policyId("ledger")).containsEntry("scopes", "payroll:write");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedScopes")
    void exchangeWhenScopeMalformedThenInvalidScope(String scope) {
        Response r = aliceForLedger().param("scope", scope).billing().post();

        assertError(r, 400, "invalid_scope", "scope: malformed scope value");
    }

    static Stream<String> malformedScopes() {
        return Stream.of("ledger:read \"quoted\"", "ledger\\read", "ledger:réad", "ledger:read\tledger:write");
    }

    // ---------------------------------------------------------------- 429

    @Test
    void exchangeWhenRateLimitExceededThenTemporarilyUnavailableWithRetryAfter() throws Exception {
        // The limit (2/s for "throttled") is checked right after client authentication, so garbage subject
        // tokens do; sent together so that the bcrypt work of each cannot let the bucket refill in between.
        List<Response> responses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3 && responses.stream().noneMatch(r -> r.statusCode() == 429); round++) {
                List<Future<Response>> batch = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    batch.add(pool.submit(() -> exchange().param("subject_token_type", AP_REQ)
                            .param("subject_token", "garbage!").param("audience", LEDGER)
                            .basic(THROTTLED, THROTTLED_SECRET).post()));
                }
                for (Future<Response> f : batch) {
                    responses.add(f.get(60, TimeUnit.SECONDS));
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<Response> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        for (Response r : responses) {
            if (r.statusCode() == 429) {
                assertError(r, 429, "temporarily_unavailable", "client: rate limit exceeded, retry later");
                assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
            } else {
                assertError(r, 400, "invalid_request", "subject_token: not valid base64");
            }
        }
        Map<String, Object> audit = refusal(limited.get(0), "temporarily_unavailable");
        assertThat(audit).containsEntry("client_id", THROTTLED)
                .containsEntry("reason", "rate limit of 2/s exceeded by throttled");
    }

    // ---------------------------------------------------------------- never a 500

    static Stream<Arguments> hostileInputs() {
        String audiences = "&audience=https://a.example.test/x".repeat(1500);
        return Stream.of(
                hostile("empty body", () -> raw(FORM, new byte[0])),
                hostile("only ampersands", () -> form("&&&")),
                hostile("only an equals sign", () -> form("=")),
                hostile("equals signs everywhere", () -> form("==&==&grant_type==" + GRANT)),
                hostile("name without value", () -> form("grant_type")),
                hostile("NUL byte", () -> raw(FORM, ("grant_type=" + GRANT + "\0&subject_token_type=\0")
                        .getBytes(StandardCharsets.UTF_8))),
                hostile("invalid UTF-8 bytes", () -> raw(FORM, new byte[] {(byte) 0xff, (byte) 0xfe, '=', (byte) 0xc3,
                        0x28, '&', 'g', '=', (byte) 0x80})),
                hostile("percent-encoded invalid UTF-8", () -> form("grant_type=%ff%fe%00&subject_token_type=%c3%28")),
                hostile("lone percent sign", () -> form("%")),
                hostile("grant_type with 1500 repeated audiences", () -> form("grant_type=" + GRANT + audiences)),
                hostile("full request with 1500 audiences", () -> raw(FORM, ("grant_type=" + GRANT
                        + "&subject_token_type=" + AP_REQ + "&subject_token=" + GssTokens.aliceKrb5Base64()
                                .replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
                        + audiences + "&client_id=billing&client_secret=" + BILLING_SECRET)
                        .getBytes(StandardCharsets.UTF_8))),
                hostile("subject_token of 16 KiB of A", () -> exchange().param("subject_token_type", AP_REQ)
                        .param("subject_token", "A".repeat(16 * 1024)).param("audience", LEDGER).post()),
                hostile("subject_token of 60,000 bytes of junk", () -> exchange().param("subject_token_type", AP_REQ)
                        .param("subject_token", "%".repeat(20_000)).post()),
                hostile("parameter name of 60,000 bytes", () -> form("x".repeat(60_000) + "=1")),
                hostile("no body and no content type", () -> given().post(TOKEN_PATH)),
                hostile("form content type and no body", () -> given().contentType(FORM).post(TOKEN_PATH)),
                hostile("unparsable content type", () -> given().header("Content-Type", "///;;;=")
                        .body("grant_type=x".getBytes(StandardCharsets.UTF_8)).post(TOKEN_PATH)),
                hostile("unparsable content type and no body", () -> given().header("Content-Type", "///;;;=")
                        .post(TOKEN_PATH)),
                hostile("form declared as UTF-16", () -> raw(FORM + "; charset=UTF-16",
                        ("grant_type=" + GRANT).getBytes(StandardCharsets.UTF_16))),
                hostile("Negotiate header of junk", () -> exchange().param("subject_token_type", AP_REQ)
                        .param("audience", LEDGER).param("client_id", BILLING).param("client_secret", BILLING_SECRET)
                        .authorization("Negotiate %%%junk%%%").post()),
                hostile("Negotiate header with no token", () -> exchange().param("subject_token_type", AP_REQ)
                        .param("audience", LEDGER).authorization("Negotiate ").post()),
                hostile("Basic with percent junk", () -> aliceForLedger()
                        .authorization("Basic " + b64("%zz:%zz".getBytes(StandardCharsets.UTF_8))).post()),
                hostile("Basic with non-ASCII credentials", () -> aliceForLedger()
                        .authorization("Basic " + b64("bïlling:sécret".getBytes(StandardCharsets.UTF_8))).post()),
                hostile("bare Basic", () -> aliceForLedger().authorization("Basic").post()),
                hostile("scope of 20,000 spaces", () -> aliceForLedger().param("scope", " ".repeat(20_000))
                        .param("subject_token", "x").post()),
                hostile("garbage requested_token_type and types", () -> exchange()
                        .param("subject_token_type", "\u0000\uffff").param("subject_token", "\u0001").post()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void exchangeWhenHostileInputThenClientErrorNeverServerError(Supplier<Response> send) {
        Response r = send.get();

        assertThat(r.statusCode()).as(r.asString()).isIn(400, 401);
        assertThat(r.header("Cache-Control")).as(r.headers() + "\n" + r.asString()).isEqualTo("no-store");
        assertThat(r.jsonPath().getString("error")).isNotBlank();
        assertThat(r.jsonPath().getString("error_description")).isNotBlank();
    }

    // ---------------------------------------------------------------- helpers

    /** The whole error contract of SPEC §4 for one response. */
    static void assertError(Response r, int status, String error, String description) {
        assertThat(r.statusCode()).as("status of %s", r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.jsonPath().getString("error")).isEqualTo(error);
        assertThat(r.jsonPath().getString("error_description")).isEqualTo(description);
        if (status == 401 && "invalid_client".equals(error)) {
            assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
        }
    }

    /** The audit row of a refused request, checked for its outcome and error. */
    Map<String, Object> refusal(Response r, String error) {
        String requestId = r.header("X-Request-Id");
        assertThat(requestId).isNotBlank();
        Map<String, Object> row = AuditRows.byRequestId(dataSource, requestId)
                .orElseThrow(() -> new AssertionError("no audit row for request " + requestId));
        assertThat(row).containsEntry("outcome", "refused").containsEntry("error", error)
                .containsEntry("tenant_id", KerbexTestResource.TENANT);
        return row;
    }

    String policyId(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM policy WHERE tenant_id = ? AND name = ?")) {
            ps.setString(1, KerbexTestResource.TENANT);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("policy %s exists", name).isTrue();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static TicketForge forge() {
        return TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD);
    }

    static byte[] nested(int depth) {
        byte[] der = {0x05, 0x00};
        for (int i = 0; i < depth; i++) {
            der = TicketForge.tlv(0x30, der);
        }
        return der;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Response form(String body) {
        return raw(FORM, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code body} byte for byte: rest-assured would otherwise re-encode a form body. */
    static Response raw(String contentType, byte[] body) {
        return given().config(RAW).header("Content-Type", contentType).body(body).post(TOKEN_PATH);
    }

    /** A refusal from parsing inside the exchange: audited, with the description as its reason. */
    static Arguments parsed(String name, Supplier<Response> send, String description) {
        return Arguments.of(Named.of(name, send), description);
    }

    static Arguments client(String name, Supplier<Response> send, String description, String auditReason) {
        return Arguments.of(Named.of(name, send), description, auditReason);
    }

    static Arguments kerberos(String name, Supplier<byte[]> token, String category, String description) {
        return Arguments.of(Named.of(name, token), category, description);
    }

    static Arguments target(String name, Supplier<Response> send, String description) {
        return Arguments.of(Named.of(name, send), description);
    }

    static Arguments hostile(String name, Supplier<Response> send) {
        return Arguments.of(Named.of(name, send));
    }
}
