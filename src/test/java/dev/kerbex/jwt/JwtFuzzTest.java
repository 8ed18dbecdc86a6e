package dev.kerbex.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kerbex.client.ClientAssertionVerifier;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Issue 10 fuzzing of JWT parsing: the compact serialization, the JOSE header ({@link dev.kerbex.jose.JoseHeaders}) and the claims, as
 * the three verifiers read them (subject and actor tokens, introspection's own-token check, DPoP proofs, client
 * assertions). The contract: a refusal is an {@link OAuthException} (or, for {@code ownToken}, a refusal text),
 * nothing else escapes. {@link #signedSubjectToken} signs the fuzzed header and claims with the tenant's own key so
 * the fuzzer reaches the checks behind the signature.
 */
class JwtFuzzTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String ISSUER = "https://kerbex.test/tenants/acme";
    private static final String URL = ISSUER + "/oauth2/token";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final KeyPair TENANT_KEY;
    private static final JwtSubjectVerifier SUBJECTS;
    private static final DpopProofVerifier DPOP;
    private static final ClientAssertionVerifier ASSERTIONS;
    private static final TenantSnapshot TENANT;
    private static final OAuthClient CLIENT;

    static {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            TENANT_KEY = generator.generateKeyPair();
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(TENANT_KEY.getPublic());
            jwk.setKeyId("k1");
            jwk.setAlgorithm("ES256");
            String jwkJson = jwk.toJson();
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            SUBJECTS = new JwtSubjectVerifier(t -> List.of(jwkJson), t -> "https://kerbex.test/tenants/" + t, clock);
            DPOP = new DpopProofVerifier((kind, hash, until) -> true, clock);
            ASSERTIONS = new ClientAssertionVerifier((kind, hash, until) -> true, clock);
            Map<String, Object> jwks = Map.of("keys", List.of(jwk.toParams(PublicJsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
            CLIENT = new OAuthClient("acme", "svc", null, null, List.of(OAuthClient.TOKEN_EXCHANGE),
                    List.of("https://reports.example.test"), null, jwks);
            TENANT = TenantSnapshot.of(new Tenant("acme", List.of("EXAMPLE.TEST"), List.of(), List.of(),
                    Duration.ofHours(1), null), List.of(CLIENT), List.of());
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any text (UTF-8) as a subject token, an own token (introspection), a DPoP proof and a client assertion. */
    @FuzzTest(maxDuration = "5m")
    void anyToken(byte[] token) {
        verifyAll(new String(token, StandardCharsets.UTF_8));
    }

    /**
     * A fuzzed JOSE header (the input up to its first newline) and claims set (the rest), correctly signed with the
     * tenant's ES256 key.
     */
    @FuzzTest(maxDuration = "5m")
    void signedSubjectToken(byte[] data) throws GeneralSecurityException {
        String text = new String(data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String header = newline < 0 ? text : text.substring(0, newline);
        String claims = newline < 0 ? "" : text.substring(newline + 1);
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initSign(TENANT_KEY.getPrivate());
        es256.update(input.getBytes(StandardCharsets.US_ASCII));
        verifyAll(input + "." + B64.encodeToString(es256.sign()));
    }

    private static void verifyAll(String token) {
        try {
            SUBJECTS.verify(token, TokenType.JWT, new VerificationContext(TENANT, CLIENT, "subject_token"));
        } catch (OAuthException e) {
            assertThat(e.description()).startsWith("subject_token: ");
        }
        OwnToken own = SUBJECTS.ownToken("acme", token);
        assertThat(own.claims() == null).isEqualTo(own.refusal() != null);
        try {
            DPOP.verify(List.of(token), "POST", URL, "acme");
        } catch (OAuthException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.description()).isNotBlank();
        }
        try {
            ASSERTIONS.verify(TENANT, token, "svc", Set.of(URL, ISSUER));
        } catch (OAuthException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.description()).isNotBlank();
        }
    }
}
