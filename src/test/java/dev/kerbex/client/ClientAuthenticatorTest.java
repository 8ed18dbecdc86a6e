package dev.kerbex.client;

import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenRequest.ClientCredentials;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClientAuthenticatorTest {

    private static final String BILLING_SECRET = "billing-secret-0123";
    private static final String COLON_SECRET = "p@ss+word with:colon";
    private static final String BILLING_PRINCIPAL = "svc-billing/app.example.test@EXAMPLE.TEST";
    private static final String FAILED = "client authentication failed";
    private static final String MALFORMED = "client authentication: malformed Basic credentials";

    private static ClientSecrets secrets;
    private static ClientAuthenticator authenticator;
    private static TenantSnapshot tenant;
    private static OAuthClient billing;
    private static OAuthClient colon;
    private static OAuthClient kerberosOnly;

    @BeforeAll
    static void setUp() {
        secrets = new ClientSecrets();
        authenticator = new ClientAuthenticator(secrets);
        billing = client("billing", secrets.hash(BILLING_SECRET), BILLING_PRINCIPAL);
        colon = client("urn:example:app", secrets.hash(COLON_SECRET), null);
        kerberosOnly = client("reporting", null, "svc-reporting/app.example.test@EXAMPLE.TEST");
        Tenant acme = new Tenant("acme", List.of("EXAMPLE.TEST"), List.of("HTTP/kerbex.example.test@EXAMPLE.TEST"),
                List.of(), Duration.ofHours(1), null);
        tenant = TenantSnapshot.of(acme, List.of(billing, colon, kerberosOnly), List.of());
    }

    private static OAuthClient client(String id, String secretHash, String principal) {
        return new OAuthClient("acme", id, secretHash, principal, List.of(OAuthClient.TOKEN_EXCHANGE), List.of(), null);
    }

    private static String basic(String rawPair) {
        return "Basic " + Base64.getEncoder().encodeToString(rawPair.getBytes(StandardCharsets.UTF_8));
    }

    private static ClientCredentials post(String clientId, String secret) {
        return new ClientCredentials(clientId, secret, null, null);
    }

    private static OAuthException failure(ThrowingCallable call) {
        OAuthException e = catchThrowableOfType(OAuthException.class, call);
        assertThat(e).as("client authentication should have failed").isNotNull();
        return e;
    }

    private static void assertFails(ThrowingCallable call, OAuthErrorCode code, String description) {
        OAuthException e = failure(call);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.description()).isEqualTo(description);
    }

    private static Optional<OAuthClient> authenticate(ClientCredentials body, String authorization) {
        return authenticator.authenticate(tenant, body, authorization);
    }

    // --- client_secret_basic ---

    @Test
    void authenticateWhenBasicCredentialsRightThenClient() {
        assertThat(authenticate(ClientCredentials.NONE, basic("billing:" + BILLING_SECRET))).contains(billing);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic ", "basic ", "BASIC ", "bAsIc " })
    void authenticateWhenBasicSchemeInAnyCaseThenAccepted(String scheme) {
        String encoded = Base64.getEncoder().encodeToString(("billing:" + BILLING_SECRET).getBytes(StandardCharsets.UTF_8));

        assertThat(authenticate(ClientCredentials.NONE, scheme + encoded)).contains(billing);
        assertThat(authenticate(ClientCredentials.NONE, scheme + "  " + encoded + " ")).contains(billing);
    }

    @Test
    void authenticateWhenBasicIdAndSecretFormEncodedThenDecoded() {
        // RFC 6749 §2.3.1: both parts are application/x-www-form-urlencoded before the colon join.
        String pair = "urn%3Aexample%3Aapp:p%40ss%2Bword+with%3Acolon";

        assertThat(authenticate(ClientCredentials.NONE, basic(pair))).contains(colon);
    }

    @Test
    void authenticateWhenBasicSecretContainsRawColonThenSplitAtFirstColonOnly() {
        assertThat(authenticate(ClientCredentials.NONE, basic("urn%3Aexample%3Aapp:p%40ss%2Bword%20with:colon")))
                .contains(colon);
    }

    @Test
    void authenticateWhenBasicIdWithRawColonThenIdEndsAtFirstColon() {
        OAuthException e = failure(() -> authenticate(ClientCredentials.NONE, basic("urn:example:app:" + COLON_SECRET)));

        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo(FAILED);
        assertThat(e.detail()).isEqualTo("client_secret_basic: unknown client or client without a secret: urn");
    }

    @Test
    void authenticateWhenBasicWithMatchingBodyClientIdThenClient() {
        assertThat(authenticate(post("billing", null), basic("billing:" + BILLING_SECRET))).contains(billing);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic !!!notbase64", "Basic YmlsbGluZw", "Basic ====", "Basic " })
    void authenticateWhenBasicNotBase64OrEmptyThenInvalidClient(String authorization) {
        assertFails(() -> authenticate(ClientCredentials.NONE, authorization), OAuthErrorCode.INVALID_CLIENT, MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "billing", ":" + BILLING_SECRET, "", "bill%zzing:" + BILLING_SECRET, "billing:secret%" })
    void authenticateWhenBasicPairMalformedThenInvalidClient(String pair) {
        assertFails(() -> authenticate(ClientCredentials.NONE, basic(pair)), OAuthErrorCode.INVALID_CLIENT, MALFORMED);
    }

    @Test
    void authenticateWhenBasicSecretWrongThenInvalidClient() {
        OAuthException e = failure(() -> authenticate(ClientCredentials.NONE, basic("billing:wrong-secret-value")));

        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo(FAILED);
        assertThat(e.detail()).isEqualTo("client_secret_basic: wrong secret for billing");
    }

    @Test
    void authenticateWhenBasicClientUnknownThenSameAnswerAsWrongSecret() {
        OAuthException e = failure(() -> authenticate(ClientCredentials.NONE, basic("nobody:" + BILLING_SECRET)));

        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo(FAILED);
        assertThat(e.detail()).isEqualTo("client_secret_basic: unknown client or client without a secret: nobody");
    }

    @Test
    void authenticateWhenBasicForClientWithoutSecretThenInvalidClient() {
        assertFails(() -> authenticate(ClientCredentials.NONE, basic("reporting:anything-at-all")),
                OAuthErrorCode.INVALID_CLIENT, FAILED);
    }

    @Test
    void authenticateWhenBasicSecretEmptyThenInvalidClient() {
        assertFails(() -> authenticate(ClientCredentials.NONE, basic("billing:")), OAuthErrorCode.INVALID_CLIENT, FAILED);
    }

    @Test
    void authenticateWhenBasicSecretOfAnotherClientThenInvalidClient() {
        assertFails(() -> authenticate(ClientCredentials.NONE, basic("billing:" + COLON_SECRET.replace(":", "%3A"))),
                OAuthErrorCode.INVALID_CLIENT, FAILED);
    }

    @Test
    void authenticateWhenBasicAndBodySecretThenInvalidRequest() {
        assertFails(() -> authenticate(post("billing", BILLING_SECRET), basic("billing:" + BILLING_SECRET)),
                OAuthErrorCode.INVALID_REQUEST, "client authentication: more than one method used");
    }

    @Test
    void authenticateWhenBasicAndBodySecretWithoutClientIdThenInvalidRequest() {
        assertFails(() -> authenticate(post(null, BILLING_SECRET), basic("billing:" + BILLING_SECRET)),
                OAuthErrorCode.INVALID_REQUEST, "client authentication: more than one method used");
    }

    @Test
    void authenticateWhenBodyClientIdDiffersFromBasicThenInvalidRequest() {
        assertFails(() -> authenticate(post("urn:example:app", null), basic("billing:" + BILLING_SECRET)),
                OAuthErrorCode.INVALID_REQUEST, "client_id: differs from the Basic credentials");
    }

    @Test
    void authenticateWhenBodyClientIdDiffersFromEncodedBasicIdThenComparedAfterDecoding() {
        assertThat(authenticate(post("urn:example:app", null), basic("urn%3Aexample%3Aapp:p%40ss%2Bword+with%3Acolon")))
                .contains(colon);
    }

    // --- client_secret_post ---

    @Test
    void authenticateWhenPostCredentialsRightThenClient() {
        assertThat(authenticate(post("billing", BILLING_SECRET), null)).contains(billing);
        assertThat(authenticate(post("urn:example:app", COLON_SECRET), null)).contains(colon);
    }

    @Test
    void authenticateWhenPostSecretWrongThenInvalidClient() {
        OAuthException e = failure(() -> authenticate(post("billing", "wrong-secret-value"), null));

        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo(FAILED);
        assertThat(e.detail()).isEqualTo("client_secret_post: wrong secret for billing");
    }

    @Test
    void authenticateWhenPostClientUnknownThenInvalidClient() {
        assertFails(() -> authenticate(post("nobody", BILLING_SECRET), null), OAuthErrorCode.INVALID_CLIENT, FAILED);
    }

    @Test
    void authenticateWhenPostForClientWithoutSecretThenInvalidClient() {
        assertFails(() -> authenticate(post("reporting", "anything-at-all"), null), OAuthErrorCode.INVALID_CLIENT, FAILED);
    }

    @Test
    void authenticateWhenClientSecretWithoutClientIdThenInvalidRequest() {
        assertFails(() -> authenticate(post(null, BILLING_SECRET), null), OAuthErrorCode.INVALID_REQUEST,
                "client_id: missing with client_secret");
    }

    @Test
    void authenticateWhenPostClientIdCaseDiffersThenInvalidClient() {
        assertFails(() -> authenticate(post("Billing", BILLING_SECRET), null), OAuthErrorCode.INVALID_CLIENT, FAILED);
    }

    // --- no credentials, other schemes, assertions ---

    @Test
    void authenticateWhenNoCredentialsThenEmpty() {
        assertThat(authenticate(ClientCredentials.NONE, null)).isEmpty();
    }

    @Test
    void authenticateWhenOnlyClientIdThenEmpty() {
        assertThat(authenticate(post("billing", null), null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Negotiate YIIB", "Bearer eyJ.a.b", "DPoP eyJ.a.b", "Basic", "Basicx" })
    void authenticateWhenAuthorizationNotBasicThenIgnored(String authorization) {
        assertThat(authenticate(ClientCredentials.NONE, authorization)).isEmpty();
    }

    @Test
    void authenticateWhenClientAssertionWithoutVerifierThenInvalidClient() {
        ClientCredentials body = new ClientCredentials("billing", null, "eyJ.c.a",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

        assertFails(() -> authenticate(body, null), OAuthErrorCode.INVALID_CLIENT,
                "client_assertion: private_key_jwt is not enabled");
    }

    @Test
    void authenticateWhenOnlyClientAssertionTypeThenInvalidRequest() {
        ClientCredentials body = new ClientCredentials(null, null, null,
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

        assertFails(() -> authenticate(body, null), OAuthErrorCode.INVALID_REQUEST,
                "client_assertion: missing with client_assertion_type");
    }

    @Test
    void authenticateWhenClientAssertionOfAnotherTypeThenInvalidClient() {
        ClientCredentials body = new ClientCredentials(null, null, "eyJ.c.a", "urn:example:saml");

        assertFails(() -> authenticate(body, null), OAuthErrorCode.INVALID_CLIENT,
                "client_assertion_type: only urn:ietf:params:oauth:client-assertion-type:jwt-bearer is supported");
    }

    @Test
    void authenticateWhenClientAssertionWithValidBasicThenMoreThanOneMethod() {
        // RFC 6749 §2.3: one method per request, even when one of them would succeed.
        ClientCredentials body = new ClientCredentials(null, null, "eyJ.c.a", null);

        assertFails(() -> authenticate(body, basic("billing:" + BILLING_SECRET)), OAuthErrorCode.INVALID_REQUEST,
                "client authentication: more than one method used");
    }

    @Test
    void invalidClientIsAlways401() {
        OAuthException e = failure(() -> authenticate(post("billing", "wrong-secret-value"), null));

        assertThat(e.code().status()).isEqualTo(401);
    }

    // --- Kerberos self-exchange ---

    @Test
    void selfExchangeWhenPrincipalRegisteredThenThatClient() {
        assertThat(authenticator.selfExchange(tenant, BILLING_PRINCIPAL, null)).isEqualTo(billing);
        assertThat(authenticator.selfExchange(tenant, "svc-reporting/app.example.test@EXAMPLE.TEST", null))
                .isEqualTo(kerberosOnly);
    }

    @Test
    void selfExchangeWhenClaimedClientIdMatchesThenThatClient() {
        assertThat(authenticator.selfExchange(tenant, BILLING_PRINCIPAL, "billing")).isEqualTo(billing);
    }

    @ParameterizedTest
    @ValueSource(strings = { "svc-payroll/app.example.test@EXAMPLE.TEST", "svc-billing/app.example.test@OTHER.TEST",
            "SVC-BILLING/app.example.test@EXAMPLE.TEST", "svc-billing/app.example.test" })
    void selfExchangeWhenPrincipalNotRegisteredThenInvalidClient(String principal) {
        OAuthException e = failure(() -> authenticator.selfExchange(tenant, principal, null));

        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo(
                "client authentication: no credentials, and no client is registered for the subject's Kerberos principal");
        assertThat(e.detail()).isEqualTo("self-exchange: no client registered for " + principal);
    }

    @Test
    void selfExchangeWhenPrincipalNullThenInvalidClient() {
        assertFails(() -> authenticator.selfExchange(tenant, null, "billing"), OAuthErrorCode.INVALID_CLIENT,
                "client authentication: no credentials, and no client is registered for the subject's Kerberos principal");
    }

    @Test
    void selfExchangeWhenClaimedClientIdIsAnotherClientThenInvalidClient() {
        OAuthException e = failure(() -> authenticator.selfExchange(tenant, BILLING_PRINCIPAL, "reporting"));

        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        assertThat(e.description()).isEqualTo(FAILED);
        assertThat(e.detail()).isEqualTo("self-exchange: client_id reporting is not registered for " + BILLING_PRINCIPAL);
    }

    @Test
    void selfExchangeWhenClaimedClientIdUnknownThenInvalidClient() {
        assertFails(() -> authenticator.selfExchange(tenant, BILLING_PRINCIPAL, "nobody"), OAuthErrorCode.INVALID_CLIENT,
                FAILED);
    }
}
