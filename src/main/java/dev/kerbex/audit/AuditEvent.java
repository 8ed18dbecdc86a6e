package dev.kerbex.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One decision (SPEC §10): of the token endpoint — who asked, for what, what was decided and why — or of the admin
 * API (SPEC §8, kind {@code admin}) — who changed what ({@code actor}, and {@code details}, a JSON object). Never
 * holds a token, ticket or secret — {@code reason} is the internal cause, not the client-facing description.
 */
public record AuditEvent(Instant occurredAt, String tenantId, String kind, Outcome outcome, String error, String reason,
        String requestId, String sourceAddress, String clientId, String subject, String subjectTokenType,
        String requestedTokenType, List<String> audiences, List<String> resources, String scopes, UUID policyId,
        Integer policyRevision, String jti, Instant expiresAt, String actor, String details) {

    public enum Outcome {
        ISSUED, REFUSED, ERROR,
        /** A request that is not a token decision (introspection, revocation, an admin change) and was answered. */
        SUCCESS,
        /** A refused admin change: nothing changed. */
        FAILURE;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AuditEvent {
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        resources = List.copyOf(resources == null ? List.of() : resources);
    }

    /** A token-side event: no actor, no details. */
    public AuditEvent(Instant occurredAt, String tenantId, String kind, Outcome outcome, String error, String reason,
            String requestId, String sourceAddress, String clientId, String subject, String subjectTokenType,
            String requestedTokenType, List<String> audiences, List<String> resources, String scopes, UUID policyId,
            Integer policyRevision, String jti, Instant expiresAt) {
        this(occurredAt, tenantId, kind, outcome, error, reason, requestId, sourceAddress, clientId, subject,
                subjectTokenType, requestedTokenType, audiences, resources, scopes, policyId, policyRevision, jti,
                expiresAt, null, null);
    }

    /** An admin API change or refusal (kind {@code admin}); {@code details} is a JSON object saying what changed. */
    public static AuditEvent admin(Instant occurredAt, String tenantId, Outcome outcome, String reason, String requestId,
            String sourceAddress, String actor, UUID policyId, Integer policyRevision, String details) {
        return new AuditEvent(occurredAt, tenantId, "admin", outcome, null, reason, requestId, sourceAddress, null, null,
                null, null, List.of(), List.of(), null, policyId, policyRevision, null, null, actor, details);
    }
}
