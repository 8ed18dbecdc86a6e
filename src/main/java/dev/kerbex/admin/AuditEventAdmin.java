package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kerbex.audit.AuditQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The tenant's audit trail (SPEC §8, §10), newest first, filtered and paged by an opaque cursor. Viewers may read it. Events of other tenants are never selected.
 */
@ApplicationScoped
class AuditEventAdmin {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> OUTCOMES = Set.of("issued", "refused", "error", "success", "failure");
    private static final Set<String> KINDS = Set.of("token_exchange", "introspection", "revocation", "admin");
    private static final int MAX_VALUE = 1024;

    private final AdminSupport support;
    private final AuditQuery query;

    AuditEventAdmin(AdminSupport support, AuditQuery query) {
        this.support = support;
        this.query = query;
    }

    /** The query parameters as sent, each null when absent; checked here, every problem listed at once. */
    record Filter(String from, String to, String outcome, String clientId, String subject, String audience,
            String kind, String limit, String cursor) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(String id, Instant occurredAt, String kind, String outcome, String error, String reason,
            String requestId, String sourceAddress, String actor, String clientId, String subject,
            String subjectTokenType, String requestedTokenType, List<String> audiences, List<String> resources,
            String scopes, UUID policyId, Integer policyRevision, String jti, Instant expiresAt, JsonNode details) {
        static EventView of(AuditQuery.Row r) {
            return new EventView(Long.toString(r.id()), r.occurredAt(), r.kind(), r.outcome(), r.error(), r.reason(),
                    r.requestId(), r.sourceAddress(), r.actor(), r.clientId(), r.subject(), r.subjectTokenType(),
                    r.requestedTokenType(), r.audiences(), r.resources(), r.scopes(), r.policyId(), r.policyRevision(),
                    r.jti(), r.expiresAt(), r.details());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventPage(List<EventView> events, String nextCursor) {
    }

    EventPage list(AdminCaller caller, String tenant, Filter f) {
        support.mayRead(caller, tenant);
        List<String> bad = new ArrayList<>();
        Instant fromAt = instant("from", f.from(), bad);
        Instant toAt = instant("to", f.to(), bad);
        if (f.outcome() != null && !OUTCOMES.contains(f.outcome())) {
            bad.add("outcome: one of issued, refused, error, success, failure");
        }
        if (f.kind() != null && !KINDS.contains(f.kind())) {
            bad.add("kind: one of token_exchange, introspection, revocation, admin");
        }
        text("client_id", f.clientId(), bad);
        text("subject", f.subject(), bad);
        text("audience", f.audience(), bad);
        int size = limit(f.limit(), bad);
        AuditQuery.Position after = cursor(f.cursor(), bad);
        if (!bad.isEmpty()) {
            throw AdminProblem.invalidParameters(bad);
        }
        AuditQuery.Page page = query.find(tenant, new AuditQuery.Filter(fromAt, toAt, f.outcome(), f.clientId(),
                f.subject(), f.audience(), f.kind(), after, size));
        return new EventPage(page.rows().stream().map(EventView::of).toList(),
                page.next() == null ? null : encode(page.next()));
    }

    private static Instant instant(String name, String value, List<String> bad) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            bad.add(name + ": not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            return null;
        }
    }

    private static void text(String name, String value, List<String> bad) {
        if (value != null && (value.isEmpty() || value.length() > MAX_VALUE)) {
            bad.add(name + ": must be 1 to " + MAX_VALUE + " characters");
        } else if (value != null && value.indexOf('\u0000') >= 0) {
            bad.add(name + ": must not contain NUL characters"); // PostgreSQL text cannot hold one
        }
    }

    private static int limit(String value, List<String> bad) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        bad.add("limit: an integer from 1 to " + MAX_LIMIT);
        return DEFAULT_LIMIT;
    }

    /** The cursor is base64url of {@code occurred_at|id}; clients must treat it as opaque. */
    static String encode(AuditQuery.Position p) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((p.occurredAt() + "|" + p.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static AuditQuery.Position cursor(String value, List<String> bad) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() > 200) {
                throw new IllegalArgumentException();
            }
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException();
            }
            long id = Long.parseLong(text.substring(bar + 1));
            if (id < 0) {
                throw new IllegalArgumentException();
            }
            return new AuditQuery.Position(Instant.parse(text.substring(0, bar)), id);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            bad.add("cursor: not a cursor this API handed out; use next_cursor unchanged");
            return null;
        }
    }
}
