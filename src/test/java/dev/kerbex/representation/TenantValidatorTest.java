package dev.kerbex.representation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.policy.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantValidatorTest {

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static TenantRepresentation tenant(String id, List<ClientRepresentation> clients,
            List<TrustedIssuerRepresentation> issuers, List<PolicyRepresentation> policies) {
        return new TenantRepresentation(id, List.of("EXAMPLE.TEST"), List.of("HTTP/kerbex.example.test@EXAMPLE.TEST"),
                null, null, null, clients, issuers, policies);
    }

    private static ClientRepresentation client(String id) {
        return new ClientRepresentation(id, "long-enough-secret", null, List.of(EXCHANGE), null, null);
    }

    private static PolicyRepresentation policy(String name, List<String> clients) {
        return new PolicyRepresentation(null, null, name, null, "allow", 10,
                new PolicyRepresentation.Match(clients, null, null, null, List.of("https://ledger.example.test"), null,
                        null, null, null),
                null);
    }

    @Test
    void validateWhenMinimalTenantThenNoErrors() {
        TenantRepresentation t = new TenantRepresentation("acme", List.of("EXAMPLE.TEST"), null, null, null, null, null,
                null, null);

        assertThat(TenantValidator.validate(t, Set.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "acme", "0", "acme-2", "a-", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789a" })
    void validateWhenTenantIdWellFormedThenNoError(String id) {
        assertThat(TenantValidator.validate(tenant(id, null, null, null), Set.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-acme", "Acme", "ac_me", "ac me", "acm\u00e9",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789ab" })
    void validateWhenTenantIdMalformedThenIdError(String id) {
        assertThat(TenantValidator.validate(tenant(id, null, null, null), Set.of())).containsExactly(
                new FieldError("/id", "required; lower-case letters, digits and '-', at most 63, e.g. acme"));
    }

    @Test
    void validateWhenPolicyNamesStoredClientThenAccepted() {
        TenantRepresentation t = tenant("acme", List.of(client("billing")), null,
                List.of(policy("p", List.of("billing", "stored", "*"))));

        assertThat(TenantValidator.validate(t, Set.of("stored"))).isEmpty();
        assertThat(TenantValidator.validate(t, Set.of())).containsExactly(
                new FieldError("/policies/0/match/clients/1", "unknown client"));
    }

    @Test
    void validateWhenDuplicateClientThenSecondOccurrenceReported() {
        TenantRepresentation t = tenant("acme", List.of(client("a"), client("b"), client("a"), client("a")), null, null);

        assertThat(TenantValidator.validate(t, Set.of())).containsExactly(
                new FieldError("/clients/2/client_id", "duplicate client_id"),
                new FieldError("/clients/3/client_id", "duplicate client_id"));
    }

    @Test
    void validateWhenClientIdAlsoStoredThenNotADuplicate() {
        // The file updates stored clients by client_id (SPEC §12), so a stored id is not a clash.
        assertThat(TenantValidator.validate(tenant("acme", List.of(client("billing")), null, null), Set.of("billing")))
                .isEmpty();
    }

    @Test
    void validateWhenSecretExactlyMinimumThenAccepted() {
        ClientRepresentation twelve = new ClientRepresentation("c", "x".repeat(12), null, null, null, null);
        ClientRepresentation eleven = new ClientRepresentation("d", "x".repeat(11), null, null, null, null);

        assertThat(TenantValidator.validate(tenant("acme", List.of(twelve, eleven), null, null), Set.of()))
                .containsExactly(new FieldError("/clients/1/secret", "too short: at least 12 characters"));
    }

    @Test
    void validateWhenRateLimitAtBoundsThenAccepted() {
        ClientRepresentation one = new ClientRepresentation("a", "long-enough-secret", null, null, null, 1);
        ClientRepresentation max = new ClientRepresentation("b", "long-enough-secret", null, null, null, 100_000);

        assertThat(TenantValidator.validate(tenant("acme", List.of(one, max), null, null), Set.of())).isEmpty();
    }

    @Test
    void validateWhenKerberosOnlyClientThenAccepted() {
        ClientRepresentation c = new ClientRepresentation("svc", null, "svc/host.example.test@EXAMPLE.TEST", null, null,
                null);

        assertThat(TenantValidator.validate(tenant("acme", List.of(c), null, null), Set.of())).isEmpty();
    }

    @Test
    void validateWhenKeysOnlyClientWithPublicKeysThenAccepted() throws Exception {
        Map<String, Object> jwks = Map.of("keys", List.of(
                new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("e").generate()
                        .toPublicJWK().toJSONObject(),
                new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("r").generate().toPublicJWK().toJSONObject()));
        ClientRepresentation c = new ClientRepresentation("svc", null, null, null, null, null, jwks);

        assertThat(TenantValidator.validate(tenant("acme", List.of(c), null, null), Set.of())).isEmpty();
    }

    @Test
    void validateWhenJwksHoldsPrivateSymmetricWeakOrMalformedKeysThenEachNamed() throws Exception {
        Map<String, Object> ecPrivate = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .generate().toJSONObject();
        Map<String, Object> rsaWeak = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true).generate()
                .toPublicJWK().toJSONObject();
        Map<String, Object> hmacAlg = new java.util.HashMap<>(new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).generate().toPublicJWK().toJSONObject());
        hmacAlg.put("alg", "HS256");
        List<Object> keys = List.of(ecPrivate, Map.of("kty", "oct", "k", "c2VjcmV0"), rsaWeak, hmacAlg,
                Map.of("kty", "EC", "crv", "P-256", "x", "AA", "y", "AA"), "not-an-object");
        ClientRepresentation c = new ClientRepresentation("svc", "long-enough-secret", null, null, null, null,
                Map.of("keys", keys));
        ClientRepresentation empty = new ClientRepresentation("svc2", "long-enough-secret", null, null, null, null,
                Map.of("keys", List.of()));

        assertThat(TenantValidator.validate(tenant("acme", List.of(c, empty), null, null), Set.of())).containsExactly(
                new FieldError("/clients/0/jwks/keys/0/d", "a private or symmetric key member; register the public key only"),
                new FieldError("/clients/0/jwks/keys/1/k", "a private or symmetric key member; register the public key only"),
                new FieldError("/clients/0/jwks/keys/2/n", "RSA keys need at least 2048 bits"),
                new FieldError("/clients/0/jwks/keys/3/alg", "not an asymmetric signature algorithm of this key type "
                        + "(ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512)"),
                new FieldError("/clients/0/jwks/keys/4", "not a valid EC public key"),
                new FieldError("/clients/0/jwks/keys/5", "must be a JWK object"),
                new FieldError("/clients/1/jwks/keys", "required; a JWK Set names at least one key"));
    }

    @Test
    void validateWhenJwksHoldsANulCharacterThenRefused() {
        ClientRepresentation c = new ClientRepresentation("svc", "long-enough-secret", null, null, null, null,
                Map.of("keys", List.of(Map.of("kty", "EC", "kid", "a\u0000b"))));

        assertThat(TenantValidator.validate(tenant("acme", List.of(c), null, null), Set.of()))
                .containsExactly(new FieldError("/clients/0/jwks", "must not contain NUL characters"));
    }

    @Test
    void validateWhenTrustedIssuerMissingOrNotHttpThenIssuerError() {
        List<TrustedIssuerRepresentation> issuers = new ArrayList<>();
        issuers.add(new TrustedIssuerRepresentation(null, null, null));
        issuers.add(new TrustedIssuerRepresentation("ftp://idp.example.test", null, null));
        issuers.add(null);
        issuers.add(new TrustedIssuerRepresentation("https://idp.example.test", "/jwks", null));

        assertThat(TenantValidator.validate(tenant("acme", null, issuers, null), Set.of())).containsExactly(
                new FieldError("/trusted_issuers/0/issuer", "required; an absolute URL"),
                new FieldError("/trusted_issuers/1/issuer", "required; an absolute URL"),
                new FieldError("/trusted_issuers/2/issuer", "required; an absolute URL"),
                new FieldError("/trusted_issuers/3/jwks_uri", "not an absolute URL"));
    }

    @Test
    void validateWhenTrustedIssuerNamesHmacOrNoneThenAlgorithmErrors() {
        List<TrustedIssuerRepresentation> issuers = List.of(new TrustedIssuerRepresentation("https://idp.example.test",
                "https://idp.example.test/jwks", java.util.Arrays.asList("ES256", "HS256", "none", null, "PS256")));

        assertThat(TenantValidator.validate(tenant("acme", null, issuers, null), Set.of()))
                .extracting(FieldError::pointer).containsExactly("/trusted_issuers/0/algorithms/1",
                        "/trusted_issuers/0/algorithms/2", "/trusted_issuers/0/algorithms/3");
    }

    @Test
    void validateWhenNullElementsInTenantListsThenReportedNotThrown() {
        List<String> realms = new ArrayList<>();
        realms.add(null);
        List<ClientRepresentation> clients = new ArrayList<>();
        clients.add(null);
        TenantRepresentation t = new TenantRepresentation("acme", realms, null, null, null, null, clients, null, null);

        assertThat(TenantValidator.validate(t, Set.of())).containsExactly(
                new FieldError("/realms/0", "not a realm name"),
                new FieldError("/clients/0", "must be an object"));
    }
}
