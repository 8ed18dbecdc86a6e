package dev.kerbex.exchange;

import dev.kerbex.audit.AuditEvent;
import dev.kerbex.policy.Decision;
import dev.kerbex.policy.Policy;
import dev.kerbex.protocol.TokenRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one request has revealed so far, filled in step by step so that a refusal at any step is audited with
 * everything known at that point. Lives on one request's stack only.
 */
final class AuditDraft {
    private final ExchangeInput input;
    private final Instant now;
    /** For the latency histogram (observability/ExchangeMetrics). */
    private final long startedNanos = System.nanoTime();
    private TokenRequest request;
    private String clientId;
    private String subject;
    private Policy policy;
    private String scopes;
    private String jti;
    private Instant expiresAt;
    private String issuedNote;
    /** SPEC §5a: the subject's groups that the deciding policy matched, for the audit row. */
    private String groups;

    AuditDraft(ExchangeInput input, Instant now) {
        this.input = input;
        this.now = now;
    }

    String tenantId() {
        return input.tenantId();
    }

    String requestId() {
        return input.requestId();
    }

    TokenRequest request() {
        return request;
    }

    long startedNanos() {
        return startedNanos;
    }

    void request(TokenRequest r) {
        this.request = r;
        this.clientId = r.credentials().clientId();
        this.scopes = r.requestedScopes().isEmpty() ? null : r.scopeString();
    }

    void client(String id) {
        this.clientId = id;
    }

    void subject(VerifiedSubject s) {
        this.subject = s.principal();
    }

    void policy(Policy p) {
        this.policy = p;
    }

    void permit(Decision.Permit p) {
        this.policy = p.policy();
        this.scopes = p.scopeString();
        this.groups = p.decidingGroups().isEmpty() ? null : "groups " + String.join(", ", p.decidingGroups());
    }

    void issued(TokenIssuer.IssuedToken t) {
        this.jti = t.jti();
        this.expiresAt = t.expiresAt();
        this.issuedNote = t.note();
    }

    private String issued() {
        return groups == null ? issuedNote : issuedNote == null ? groups : issuedNote + "; " + groups;
    }

    /** A refusal's row: a token minted before the refusal (a replay found at commit) never left, so no jti. */
    AuditEvent refusal(AuditEvent.Outcome outcome, String error, String reason) {
        return event(outcome, error, reason, null, null);
    }

    AuditEvent event(AuditEvent.Outcome outcome, String error, String reason) {
        return event(outcome, error, reason, jti, expiresAt);
    }

    private AuditEvent event(AuditEvent.Outcome outcome, String error, String reason, String jti, Instant expiresAt) {
        return new AuditEvent(now, input.tenantId(), "token_exchange", outcome, error,
                reason == null && outcome == AuditEvent.Outcome.ISSUED ? issued() : reason, input.requestId(),
                input.sourceAddress(), clientId, subject,
                request == null ? null : request.subjectTokenType().uri(),
                request == null ? null : request.requestedTokenType().uri(),
                request == null ? List.of() : request.audiences(),
                request == null ? List.of() : request.resources(), scopes,
                policy == null || policy.id() == null ? null : UUID.fromString(policy.id()),
                policy == null ? null : policy.revision(), jti, expiresAt);
    }
}
