package dev.kerbex.exchange;

import dev.kerbex.audit.AuditEvent;
import dev.kerbex.audit.AuditTrail;
import dev.kerbex.client.ClientAuthenticator;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.client.RateLimiter;
import dev.kerbex.policy.Cidr;
import dev.kerbex.policy.Decision;
import dev.kerbex.policy.ExchangeFacts;
import dev.kerbex.policy.PolicyEvaluator;
import dev.kerbex.protocol.FormBody;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenRequest;
import dev.kerbex.protocol.TokenResponse;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.store.ReplayClaim;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.observability.ExchangeMetrics;
import dev.kerbex.observability.LogContext;
import dev.kerbex.observability.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The token exchange use case (RFC 8693): client → subject verification → policy decision → issuing → audit.
 * Every decision, issued or refused, is written to the audit trail before the answer leaves (SPEC §10).
 */
@ApplicationScoped
public class TokenExchange {
    private static final Logger LOG = Logger.getLogger(TokenExchange.class);

    /** The tenant snapshots the use case reads ({@code TenantDirectory} in production). */
    @FunctionalInterface
    public interface Tenants {
        Optional<TenantSnapshot> find(String tenantId);
    }

    /**
     * Writes one request's replay claims and audit row in one durable transaction ({@code AuditTrail#commit} in
     * production): {@code event}, or {@code onReplay}'s row for the first claim seen before, which it returns.
     */
    @FunctionalInterface
    public interface Audit {
        ReplayClaim commit(List<ReplayClaim> claims, AuditEvent event, Function<ReplayClaim, AuditEvent> onReplay);
    }

    /** Admits one request of a client, or refuses it over the client's rate ({@code RateLimiter} in production). */
    @FunctionalInterface
    public interface RateLimit {
        void admit(OAuthClient client);
    }

    private final Tenants tenants;
    private final ClientAuthenticator clients;
    private final RateLimit rateLimiter;
    private final Map<TokenType, SubjectVerifier> verifiers = new EnumMap<>(TokenType.class);
    private final Map<TokenType, TokenIssuer> issuers = new EnumMap<>(TokenType.class);
    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private final Audit audit;
    private final IssuerUrls urls;
    private final MeterRegistry metrics;
    private final DpopVerifier dpop;
    private final ExchangeMetrics exchangeMetrics;
    private final Clock clock;

    @Inject
    public TokenExchange(TenantDirectory tenants, ClientAuthenticator clients, RateLimiter rateLimiter,
            Instance<SubjectVerifier> verifiers, Instance<TokenIssuer> issuers, AuditTrail audit, IssuerUrls urls,
            MeterRegistry metrics, DpopVerifier dpop, Clock clock) {
        this(tenants::find, clients, rateLimiter::admit, verifiers.stream().toList(), issuers.stream().toList(),
                audit::commit, urls, metrics, dpop, clock);
    }

    /** On its ports alone (a plain unit test needs no container). */
    public TokenExchange(Tenants tenants, ClientAuthenticator clients, RateLimit rateLimiter,
            List<SubjectVerifier> verifiers, List<TokenIssuer> issuers, Audit audit, IssuerUrls urls,
            MeterRegistry metrics, DpopVerifier dpop, Clock clock) {
        this.tenants = tenants;
        this.clients = clients;
        this.rateLimiter = rateLimiter;
        verifiers.forEach(v -> v.types().forEach(t -> this.verifiers.put(t, v)));
        issuers.forEach(i -> i.issues().forEach(t -> this.issuers.put(t, i)));
        this.audit = audit;
        this.urls = urls;
        this.metrics = metrics;
        this.dpop = dpop;
        this.exchangeMetrics = new ExchangeMetrics(metrics);
        this.clock = clock;
    }

    /** Subject and actor token type URIs this deployment verifies, for the metadata document. */
    public List<String> acceptedTokenTypes() {
        return verifiers.keySet().stream().map(TokenType::uri).toList();
    }

    /** Token type URIs this deployment issues, for the metadata document. */
    public List<String> issuedTokenTypes() {
        return issuers.keySet().stream().map(TokenType::uri).toList();
    }

    /** @throws UnknownTenantException for a tenant that does not exist (404, not audited: there is no trail to write to) */
    public TokenResponse exchange(ExchangeInput in) {
        Instant now = clock.instant();
        TenantSnapshot tenant = tenants.find(in.tenantId()).orElseThrow(UnknownTenantException::new);
        AuditDraft draft = new AuditDraft(in, now);
        PendingReplays replays = new PendingReplays();
        TokenResponse response;
        try {
            response = decide(in, tenant, draft, now, replays);
        } catch (OAuthException e) {
            if (e.code() != OAuthErrorCode.NEGOTIATE) {
                throw recordRefusal(draft, e, replays);
            }
            throw e;
        } catch (StoreUnavailableException e) {
            throw unavailable(draft, e);
        }
        // One transaction for the replay entries and the audit row (SPEC §5, §10), shared with concurrent requests'.
        ReplayClaim replayed;
        try (Traces.Span span = Traces.start("kerbex.audit.commit")) {
            replayed = audit.commit(replays.claims(), draft.event(AuditEvent.Outcome.ISSUED, null, null),
                    claim -> refusalEvent(draft, replays.refusalFor(claim)));
        } catch (StoreUnavailableException e) {
            throw unavailable(draft, e);
        }
        if (replayed != null) {
            // The token was signed but never leaves; the row says why, and names no jti.
            OAuthException refusal = replays.refusalFor(replayed);
            count(draft, "refused", refusal.code());
            throw refusal;
        }
        count(draft, "issued", null);
        return response;
    }

    private OAuthException unavailable(AuditDraft draft, StoreUnavailableException e) {
        LOG.warnf("request %s: %s", draft.requestId(), e.getMessage());
        OAuthException unavailable = unavailable(e);
        recordRefusal(draft, unavailable, new PendingReplays());
        return unavailable;
    }

    private TokenResponse decide(ExchangeInput in, TenantSnapshot tenant, AuditDraft draft, Instant now,
            PendingReplays replays) {
        if (!in.formEncoded()) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, FormBody.NOT_FORM);
        }
        TokenRequest request = TokenRequest.parse(FormBody.decode(in.body()));
        draft.request(request);
        LogContext.client(request.credentials().clientId());
        String subjectToken = request.subjectToken() != null ? request.subjectToken() : negotiateToken(in.authorization());

        Optional<OAuthClient> authenticated = clients.authenticate(tenant, request.credentials(), in.authorization(),
                "token", in.sourceAddress(), in.clientCertificates());
        authenticated.ifPresent(c -> admit(c, draft));
        // RFC 9449 §5: a proof binds the token to its key (cnf.jkt); a bad one is invalid_dpop_proof.
        String dpopJkt = in.dpopProofs().isEmpty() ? null : dpop.verify(in.dpopProofs(), "POST",
                urls.endpoint(tenant.tenant().id(), "token"), tenant.tenant().id());

        SubjectVerifier subjectVerifier = verifier(request.subjectTokenType(), "subject_token_type");
        // Self-exchange is Kerberos-only (SPEC §3); any other subject's audience is checked against the client,
        // so the client must be known before the token is looked at.
        if (authenticated.isEmpty() && request.subjectTokenType() != TokenType.KERBEROS_AP_REQ) {
            throw new OAuthException(OAuthErrorCode.INVALID_CLIENT, "client authentication: credentials required");
        }
        VerifiedSubject subject;
        try (Traces.Span span = Traces.start("kerbex.verify")
                .attribute("kerbex.token_type", request.subjectTokenType().name())) {
            subject = subjectVerifier.verify(subjectToken, request.subjectTokenType(),
                    new VerificationContext(tenant, authenticated.orElse(null), "subject_token", replays));
        }
        draft.subject(subject);

        OAuthClient client = authenticated.orElseGet(() -> {
            if (!subject.isKerberos()) {
                throw new OAuthException(OAuthErrorCode.INVALID_CLIENT, "client authentication: credentials required");
            }
            OAuthClient self = clients.selfExchange(tenant, subject.principal(), request.credentials().clientId());
            admit(self, draft);
            return self;
        });

        VerifiedSubject actor = request.actorToken() == null ? null
                : verifier(request.actorTokenType(), "actor_token_type")
                        .verify(request.actorToken(), request.actorTokenType(),
                                new VerificationContext(tenant, client, "actor_token", replays));

        TokenIssuer issuer = issuers.get(request.requestedTokenType());
        if (issuer == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "requested_token_type: this deployment does not issue that token type");
        }

        Decision decision;
        try (Traces.Span span = Traces.start("kerbex.policy")) {
            decision = evaluator.decide(facts(in, tenant, client, request, subject, actor), tenant.policies(), now);
        }
        if (decision instanceof Decision.Refusal refusal) {
            draft.policy(refusal.policy());
            throw refusal.toException();
        }
        Decision.Permit permit = (Decision.Permit) decision;
        draft.permit(permit);
        SenderBinding.requireDpop(permit, dpopJkt);
        String x5t = permit.grant().requireMtls() ? SenderBinding.certificateThumbprint(permit, in) : null;

        TokenIssuer.IssuedToken issued;
        try (Traces.Span span = Traces.start("kerbex.sign")
                .attribute("kerbex.token_type", request.requestedTokenType().name())) {
            issued = issuer.issue(new ExchangeContext(tenant, urls.issuer(tenant.tenant().id()), client, request,
                    subject, actor, permit, now, dpopJkt, x5t));
        }
        draft.issued(issued);
        // A Kerberos ticket carries no OAuth scope, so its response names none.
        return new TokenResponse(issued.token(), issued.type().uri(), issued.tokenType(), issued.expiresIn(),
                permit.scope().isEmpty() ? null : permit.scopeString());
    }

    private void admit(OAuthClient client, AuditDraft draft) {
        draft.client(client.clientId());
        LogContext.client(client.clientId());
        if (!client.mayExchangeTokens()) {
            throw new OAuthException(OAuthErrorCode.UNAUTHORIZED_CLIENT,
                    "client: not allowed to use token exchange in this tenant");
        }
        rateLimiter.admit(client);
    }

    private SubjectVerifier verifier(TokenType type, String parameter) {
        SubjectVerifier v = verifiers.get(type);
        if (v == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    parameter + ": this deployment does not accept that token type yet");
        }
        return v;
    }

    /** RFC 4559: the AP-REQ may arrive as {@code Authorization: Negotiate <token>}; without it, challenge. */
    private static String negotiateToken(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Negotiate ", 0, 10)) {
            String token = authorization.substring(10).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        throw new OAuthException(OAuthErrorCode.NEGOTIATE,
                "subject_token: missing; send it, or authenticate with Negotiate (SPNEGO)");
    }

    private ExchangeFacts facts(ExchangeInput in, TenantSnapshot tenant, OAuthClient client, TokenRequest request,
            VerifiedSubject subject, VerifiedSubject actor) {
        return new ExchangeFacts(client.clientId(), subject.type(), subject.principal(), subject.issuer(),
                request.audiences(), request.resources(), request.requestedTokenType(), request.requestedScopes(),
                subject.scopes(), actor == null ? null : actor.principal(), sourceAddress(in.sourceAddress()),
                subject.expiresAt(), tenant.tenant().maxTokenLifetime(), subject.mayAct(), actorIssuer(tenant, actor),
                TemplateVariables.groups(subject, tenant.tenant()));
    }

    /** The trusted issuer of a JWT actor; null for the tenant's own actors (Kerberos, or its own JWTs). */
    private String actorIssuer(TenantSnapshot tenant, VerifiedSubject actor) {
        if (actor == null || actor.issuer() == null || actor.issuer().equals(urls.issuer(tenant.tenant().id()))) {
            return null;
        }
        return actor.issuer();
    }

    /** Only IP literals are parsed (Cidr's parser), so this never triggers a DNS lookup. */
    private static InetAddress sourceAddress(String address) {
        if (address == null) {
            return null;
        }
        try {
            return Cidr.address(address);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code kerbex_token_exchanges_total{tenant, outcome, error}}: the decisions, for dashboards and alerts. */
    private void count(AuditDraft draft, String outcome, OAuthErrorCode error) {
        metrics.counter("kerbex.token.exchanges", "tenant", draft.tenantId(), "outcome", outcome, "error",
                error == null ? "none" : error.code()).increment();
        exchangeMetrics.record(draft.tenantId(), draft.request(), outcome, error, System.nanoTime() - draft.startedNanos());
    }

    /**
     * Audits a refusal, with the request's replay entries in the same transaction (a verified authenticator is used up
     * even when the exchange is refused), and returns the error to answer: the refusal itself, or the replay refusal
     * when one of the entries was seen before (as when the replay check came first).
     */
    private OAuthException recordRefusal(AuditDraft draft, OAuthException e, PendingReplays replays) {
        if (!e.audited() && replays.claims().isEmpty()) {
            // A throttled guess after the first of its window: audited once per window, not once per guess.
            count(draft, "refused", e.code());
            return e;
        }
        try {
            ReplayClaim replayed = audit.commit(replays.claims(), refusalEvent(draft, e),
                    claim -> refusalEvent(draft, replays.refusalFor(claim)));
            OAuthException answer = replayed == null ? e : replays.refusalFor(replayed);
            // The error code only: the description and the audit row's reason stay out of the log.
            LOG.debugf("exchange refused: %s", answer.code().code());
            count(draft, answer.code() == OAuthErrorCode.TEMPORARILY_UNAVAILABLE ? "error" : "refused", answer.code());
            return answer;
        } catch (StoreUnavailableException auditDown) {
            count(draft, "error", OAuthErrorCode.TEMPORARILY_UNAVAILABLE);
            LOG.errorf("request %s: refusal (%s) could not be audited: %s", draft.requestId(), e.code().code(),
                    auditDown.getMessage());
            return e.code() == OAuthErrorCode.TEMPORARILY_UNAVAILABLE ? e : unavailable(auditDown);
        }
    }

    private static AuditEvent refusalEvent(AuditDraft draft, OAuthException e) {
        return draft.refusal(e.code() == OAuthErrorCode.TEMPORARILY_UNAVAILABLE ? AuditEvent.Outcome.ERROR
                : AuditEvent.Outcome.REFUSED, e.code().code(), e.detail());
    }

    private static OAuthException unavailable(RuntimeException cause) {
        return new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE, "service temporarily unavailable, retry later",
                cause.getMessage());
    }

    /** The requested tenant does not exist. */
    public static final class UnknownTenantException extends RuntimeException {
        UnknownTenantException() {
            super("unknown tenant", null, false, false);
        }
    }
}
