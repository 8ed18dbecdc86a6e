package dev.kerbex.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One decision of the token endpoint (SPEC §10): who asked, for what, what was decided and why. Never holds
 * a token, ticket or secret — {@code reason} is the internal cause, not the client-facing description.
 */
public record AuditEvent(Instant occurredAt, String tenantId, String kind, Outcome outcome, String error, String reason,
        String requestId, String sourceAddress, String clientId, String subject, String subjectTokenType,
        String requestedTokenType, List<String> audiences, List<String> resources, String scopes, UUID policyId,
        Integer policyRevision, String jti, Instant expiresAt) {

    public enum Outcome {
        ISSUED, REFUSED, ERROR,
        /** A request that is not a token decision (introspection, revocation) and was answered. */
        SUCCESS;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AuditEvent {
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        resources = List.copyOf(resources == null ? List.of() : resources);
    }
}
