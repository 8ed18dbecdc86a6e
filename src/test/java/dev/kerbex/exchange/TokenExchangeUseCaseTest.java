package dev.kerbex.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.audit.AuditEvent;
import dev.kerbex.client.ClientAuthenticator;
import dev.kerbex.client.ClientSecrets;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.policy.Effect;
import dev.kerbex.policy.Policy;
import dev.kerbex.policy.PolicyGrant;
import dev.kerbex.policy.PolicyMatch;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenResponse;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.store.ReplayClaim;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The use case on its own (no Quarkus, no database, no KDC): {@link TokenExchange} with fakes of its ports — tenants,
 * audit, rate limit, subject verifiers, token issuer, DPoP — and the real client authentication and policy evaluator.
 * Each case asserts the answer (or the error code and description) and the audit row written before it.
 */
class TokenExchangeUseCaseTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String ISSUER = "https://kerbex.test/tenants/acme";
    static final String LEDGER = "https://ledger.example.test";
    static final String SECRET = "billing-secret";
    static final String AP_REQ = TokenType.KERBEROS_AP_REQ.uri();
    static final String POLICY_ID = UUID.randomUUID().toString();

    static ClientAuthenticator clients;
    static OAuthClient billing;

    final List<AuditEvent> rows = new ArrayList<>();
    final List<ExchangeContext> issued = new ArrayList<>();
    /** The replay kinds the fake audit reports as seen before. */
    final Set<String> seenBefore = new java.util.HashSet<>();

    @BeforeAll
    static void client() {
        ClientSecrets secrets = new ClientSecrets();
        clients = new ClientAuthenticator(secrets);
        billing = new OAuthClient("acme", "billing", secrets.hash(SECRET), null, List.of(OAuthClient.TOKEN_EXCHANGE),
                List.of(), null);
    }

    // ---------------------------------------------------------------- permit

    @Test
    void exchangeWhenPolicyAllowsThenTokenIssuedAndAuditedWithPolicyAndJti() {
        TokenExchange exchange = exchange(allow(grant(false)));

        TokenResponse r = exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of()));

        assertThat(r.accessToken()).isEqualTo("minted-for-alice@EXAMPLE.TEST");
        assertThat(r.tokenType()).isEqualTo("Bearer");
        assertThat(r.scope()).isEqualTo("ledger:read");
        assertThat(issued).singleElement().satisfies(ctx -> {
            assertThat(ctx.client().clientId()).isEqualTo("billing");
            assertThat(ctx.issuer()).isEqualTo(ISSUER);
            assertThat(ctx.now()).isEqualTo(NOW);
            assertThat(ctx.actor()).isNull();
            assertThat(ctx.dpopJkt()).isNull();
        });
        AuditEvent row = onlyRow();
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.ISSUED);
        assertThat(row.error()).isNull();
        assertThat(row.occurredAt()).isEqualTo(NOW);
        assertThat(row.kind()).isEqualTo("token_exchange");
        assertThat(row.clientId()).isEqualTo("billing");
        assertThat(row.subject()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(row.audiences()).containsExactly(LEDGER);
        assertThat(row.scopes()).isEqualTo("ledger:read");
        assertThat(row.policyId()).hasToString(POLICY_ID);
        assertThat(row.policyRevision()).isEqualTo(3);
        assertThat(row.jti()).isEqualTo("jti-1");
        assertThat(row.reason()).isEqualTo("note");
        assertThat(row.requestId()).isEqualTo("req-1");
    }

    // ---------------------------------------------------------------- deny

    @Test
    void exchangeWhenDenyPolicyMatchesThenInvalidRequestAuditedWithThePolicy() {
        TokenExchange exchange = exchange(new Policy(POLICY_ID, 3, "no-ledger", Effect.DENY, 10, match(List.of()),
                grant(false)), allow(grant(false)));

        assertRefused(() -> exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of())),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: refused by policy");

        AuditEvent row = onlyRow();
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.REFUSED);
        assertThat(row.error()).isEqualTo("invalid_request");
        assertThat(row.policyId()).hasToString(POLICY_ID);
        assertThat(row.subject()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(row.jti()).isNull();
        assertThat(issued).isEmpty();
    }

    @Test
    void exchangeWhenNoPolicyMatchesThenInvalidRequestAudited() {
        TokenExchange exchange = exchange();

        assertRefused(() -> exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of())),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: no policy permits this exchange");
        assertThat(onlyRow().outcome()).isEqualTo(AuditEvent.Outcome.REFUSED);
    }

    @Test
    void exchangeWhenWrongSecretThenInvalidClientAuditedWithTheClaimedClient() {
        TokenExchange exchange = exchange(allow(grant(false)));
        Map<String, String> form = form(kerberos("alice@EXAMPLE.TEST"));
        form.put("client_secret", "wrong");

        assertRefused(() -> exchange.exchange(input(form, List.of())), OAuthErrorCode.INVALID_CLIENT,
                "client authentication failed");
        AuditEvent row = onlyRow();
        assertThat(row.error()).isEqualTo("invalid_client");
        assertThat(row.clientId()).isEqualTo("billing");
        assertThat(row.subject()).isNull();
    }

    @Test
    void exchangeWhenUnknownTenantThenNotAuditedAtAll() {
        TokenExchange exchange = exchange(allow(grant(false)));
        ExchangeInput in = new ExchangeInput("globex", true, body(form(kerberos("alice@EXAMPLE.TEST"))), null,
                "192.0.2.1", "req-1");

        assertThatThrownBy(() -> exchange.exchange(in)).isInstanceOf(TokenExchange.UnknownTenantException.class);
        assertThat(rows).isEmpty();
    }

    // ---------------------------------------------------------------- replay

    @Test
    void exchangeWhenAuthenticatorSeenBeforeThenReplayRefusalIsTheRowAndNoTokenLeaves() {
        seenBefore.add("krb-authn");
        TokenExchange exchange = exchange(allow(grant(false)));

        assertRefused(() -> exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of())),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: authenticator replayed");

        // The token was minted before the commit found the replay; the row is the refusal and names no jti.
        assertThat(issued).hasSize(1);
        AuditEvent row = onlyRow();
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.REFUSED);
        assertThat(row.reason()).isEqualTo("subject_token: authenticator replayed: seen before");
        assertThat(row.jti()).isNull();
        assertThat(row.expiresAt()).isNull();
    }

    // ---------------------------------------------------------------- actor

    @Test
    void exchangeWhenActorPermittedThenIssuerGetsTheActor() {
        TokenExchange exchange = exchange(new Policy(POLICY_ID, 3, "delegation", Effect.ALLOW, 100,
                match(List.of("svc-report*")), grant(false)));
        Map<String, String> form = form(jwt("alice"));
        form.put("actor_token", "jwt:svc-reports");
        form.put("actor_token_type", TokenType.JWT.uri());

        exchange.exchange(input(form, List.of()));

        assertThat(issued).singleElement().satisfies(ctx -> {
            assertThat(ctx.actor().principal()).isEqualTo("svc-reports");
            assertThat(ctx.subject().principal()).isEqualTo("alice");
        });
        assertThat(onlyRow().outcome()).isEqualTo(AuditEvent.Outcome.ISSUED);
    }

    @Test
    void exchangeWhenActorNotNamedByPolicyThenNoPolicyPermits() {
        TokenExchange exchange = exchange(allow(grant(false)));
        Map<String, String> form = form(jwt("alice"));
        form.put("actor_token", "jwt:svc-reports");
        form.put("actor_token_type", TokenType.JWT.uri());

        assertRefused(() -> exchange.exchange(input(form, List.of())), OAuthErrorCode.INVALID_REQUEST,
                "subject_token: no policy permits this exchange");
        assertThat(onlyRow().subject()).isEqualTo("alice");
    }

    @Test
    void exchangeWhenActorTokenRefusedThenItsVerifiersDescription() {
        TokenExchange exchange = exchange(allow(grant(false)));
        Map<String, String> form = form(jwt("alice"));
        form.put("actor_token", "bad");
        form.put("actor_token_type", TokenType.JWT.uri());

        assertRefused(() -> exchange.exchange(input(form, List.of())), OAuthErrorCode.INVALID_REQUEST,
                "actor_token: JWT signature invalid");
        assertThat(onlyRow().error()).isEqualTo("invalid_request");
    }

    // ---------------------------------------------------------------- DPoP

    @Test
    void exchangeWhenPolicyRequiresDpopAndNoProofThenInvalidRequestAuditedWithThePolicy() {
        TokenExchange exchange = exchange(allow(grant(true)));

        assertRefused(() -> exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of())),
                OAuthErrorCode.INVALID_REQUEST, "DPoP: this exchange requires a DPoP proof (RFC 9449)");
        AuditEvent row = onlyRow();
        assertThat(row.policyId()).hasToString(POLICY_ID);
        assertThat(row.reason()).contains("requires a DPoP-bound token");
        assertThat(issued).isEmpty();
    }

    @Test
    void exchangeWhenPolicyRequiresDpopAndProofVerifiesThenBoundToItsKey() {
        TokenExchange exchange = exchange(allow(grant(true)));

        TokenResponse r = exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of("good-proof")));

        assertThat(r.tokenType()).isEqualTo("DPoP");
        assertThat(issued.get(0).dpopJkt()).isEqualTo("jkt-of-good-proof");
        assertThat(onlyRow().outcome()).isEqualTo(AuditEvent.Outcome.ISSUED);
    }

    @Test
    void exchangeWhenProofRefusedThenInvalidDpopProofBeforeTheSubjectIsLookedAt() {
        TokenExchange exchange = exchange(allow(grant(false)));

        assertRefused(() -> exchange.exchange(input(form(kerberos("alice@EXAMPLE.TEST")), List.of("bad-proof"))),
                OAuthErrorCode.INVALID_DPOP_PROOF, "DPoP: signature invalid");
        AuditEvent row = onlyRow();
        assertThat(row.error()).isEqualTo("invalid_dpop_proof");
        assertThat(row.subject()).isNull();
    }

    // ---------------------------------------------------------------- helpers

    TokenExchange exchange(Policy... policies) {
        Tenant acme = new Tenant("acme", List.of("EXAMPLE.TEST"), List.of("HTTP/kerbex.example.test@EXAMPLE.TEST"),
                List.of(), Duration.ofHours(1), null);
        TenantSnapshot snapshot = TenantSnapshot.of(acme, List.of(billing), List.of(policies));
        TokenExchange.Audit audit = (claims, event, onReplay) -> {
            for (ReplayClaim claim : claims) {
                if (seenBefore.contains(claim.kind())) {
                    rows.add(onReplay.apply(claim));
                    return claim;
                }
            }
            rows.add(event);
            return null;
        };
        return new TokenExchange(id -> id.equals("acme") ? Optional.of(snapshot) : Optional.empty(), clients,
                client -> { }, List.of(new FakeKerberos(), new FakeJwts()), List.of(new FakeIssuer()), audit,
                new IssuerUrls(config("https://kerbex.test")), new SimpleMeterRegistry(), new FakeDpop(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    AuditEvent onlyRow() {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    static Policy allow(PolicyGrant grant) {
        return new Policy(POLICY_ID, 3, "ledger-reads", Effect.ALLOW, 100, match(List.of()), grant);
    }

    static PolicyMatch match(List<String> actors) {
        return new PolicyMatch(List.of("billing"), List.of(), List.of(), List.of(), List.of(LEDGER), List.of(), List.of(),
                actors, List.of());
    }

    static PolicyGrant grant(boolean requireDpop) {
        return new PolicyGrant(List.of("ledger:read", "ledger:write"), List.of("ledger:read"), Duration.ofMinutes(10),
                Map.of(), null, List.of(), null, requireDpop, false);
    }

    static Map<String, String> kerberos(String principal) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("subject_token", "krb:" + principal);
        f.put("subject_token_type", AP_REQ);
        return f;
    }

    static Map<String, String> jwt(String sub) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("subject_token", "jwt:" + sub);
        f.put("subject_token_type", TokenType.ACCESS_TOKEN.uri());
        return f;
    }

    /** A token exchange request of client billing (client_secret_post) to the ledger. */
    static Map<String, String> form(Map<String, String> subject) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        f.putAll(subject);
        f.put("audience", LEDGER);
        f.put("client_id", "billing");
        f.put("client_secret", SECRET);
        return f;
    }

    static ExchangeInput input(Map<String, String> form, List<String> dpop) {
        return new ExchangeInput("acme", true, body(form), null, "192.0.2.1", "req-1", dpop);
    }

    static byte[] body(Map<String, String> form) {
        return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.US_ASCII);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void assertRefused(Runnable call, OAuthErrorCode code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.description()).isEqualTo(description);
        });
    }

    /** Only {@code publicUrl()} is read (by {@link IssuerUrls}). */
    static KerbexConfig config(String publicUrl) {
        return (KerbexConfig) Proxy.newProxyInstance(KerbexConfig.class.getClassLoader(), new Class<?>[] { KerbexConfig.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("publicUrl")) {
                        return publicUrl;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** "krb:principal" verifies; the authenticator is left to be recorded with the audit row, as the real one does. */
    static final class FakeKerberos implements SubjectVerifier {
        @Override
        public Set<TokenType> types() {
            return Set.of(TokenType.KERBEROS_AP_REQ);
        }

        @Override
        public VerifiedSubject verify(String token, TokenType type, VerificationContext context) {
            String principal = token.substring("krb:".length());
            context.replays().add(new ReplayClaim("krb-authn", token.getBytes(StandardCharsets.UTF_8), NOW.plusSeconds(300)),
                    () -> new OAuthException(OAuthErrorCode.INVALID_REQUEST, "subject_token: authenticator replayed",
                            "subject_token: authenticator replayed: seen before"));
            return new VerifiedSubject(type, principal, "EXAMPLE.TEST", null, null, NOW.plus(Duration.ofHours(8)), null,
                    null, null, Map.of());
        }
    }

    /** "jwt:sub" is a token of the tenant for the client; anything else has a bad signature. */
    static final class FakeJwts implements SubjectVerifier {
        @Override
        public Set<TokenType> types() {
            return Set.of(TokenType.JWT, TokenType.ACCESS_TOKEN);
        }

        @Override
        public VerifiedSubject verify(String token, TokenType type, VerificationContext context) {
            assertThat(context.client()).isNotNull();
            if (!token.startsWith("jwt:")) {
                throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, context.parameter() + ": JWT signature invalid");
            }
            return new VerifiedSubject(type, token.substring(4), null, ISSUER, Set.of("ledger:read", "ledger:write"),
                    NOW.plus(Duration.ofHours(1)), null, null, null, Map.of());
        }
    }

    final class FakeIssuer implements TokenIssuer {
        @Override
        public Set<TokenType> issues() {
            return Set.of(TokenType.ACCESS_TOKEN);
        }

        @Override
        public IssuedToken issue(ExchangeContext context) {
            issued.add(context);
            return new IssuedToken("minted-for-" + context.subject().principal(), TokenType.ACCESS_TOKEN,
                    context.dpopJkt() == null ? "Bearer" : "DPoP", 600, "jti-1", context.now().plusSeconds(600), "note");
        }
    }

    static final class FakeDpop implements DpopVerifier {
        @Override
        public String verify(List<String> proofs, String method, String url, String scope) {
            assertThat(url).isEqualTo(ISSUER + "/oauth2/token");
            if (!proofs.equals(List.of("good-proof"))) {
                throw new OAuthException(OAuthErrorCode.INVALID_DPOP_PROOF, "DPoP: signature invalid");
            }
            return "jkt-of-good-proof";
        }
    }
}
