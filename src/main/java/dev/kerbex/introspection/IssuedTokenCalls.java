package dev.kerbex.introspection;

import dev.kerbex.audit.AuditEvent;
import dev.kerbex.audit.AuditTrail;
import dev.kerbex.client.ClientAuthenticator;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.jwt.JwtSubjectVerifier.OwnToken;
import dev.kerbex.jwt.JwtSubjectVerifier;
import dev.kerbex.protocol.FormBody;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenReferenceRequest;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TenantSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What introspection and revocation share: every answer, and every refusal, is written to the audit trail
 * before it leaves (SPEC §10), never with the token itself; a database failure answers 503.
 */
final class IssuedTokenCalls {
    private static final Logger LOG = Logger.getLogger(IssuedTokenCalls.class);

    /** What one call has learnt so far, for its audit row. */
    static final class Draft {
        final ExchangeInput in;
        final Instant now;
        String clientId;
        OwnToken token;

        Draft(ExchangeInput in, Instant now) {
            this.in = in;
            this.now = now;
        }

        AuditEvent event(String kind, AuditEvent.Outcome outcome, String error, String reason) {
            return new AuditEvent(now, in.tenantId(), kind, outcome, error, reason, in.requestId(), in.sourceAddress(),
                    clientId, token == null ? null : token.subject(), null, null,
                    token == null ? List.of() : token.audiences(), List.of(),
                    token == null || token.claims() == null || !(token.claims().get("scope") instanceof String s) ? null : s,
                    null, null, token == null || token.jti() == null || token.jti().length() > 64 ? null : token.jti(),
                    token == null ? null : token.expiresAt());
        }
    }

    private IssuedTokenCalls() {
    }

    /**
     * Runs {@code call}; its result carries the audit reason of the success. A refusal is audited as such; when
     * the database is down, 503 (audited if the trail can still be written, logged otherwise).
     */
    static <T> T audited(AuditTrail audit, String kind, Draft draft, Function<Draft, Outcome<T>> call) {
        Outcome<T> outcome;
        try {
            outcome = call.apply(draft);
        } catch (OAuthException e) {
            refusal(audit, kind, draft, e);
            throw e;
        } catch (StoreUnavailableException e) {
            LOG.warnf("request %s: %s", draft.in.requestId(), e.getMessage());
            OAuthException unavailable = new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "service temporarily unavailable, retry later", e.getMessage());
            refusal(audit, kind, draft, unavailable);
            throw unavailable;
        }
        try {
            audit.record(draft.event(kind, AuditEvent.Outcome.SUCCESS, null, outcome.reason()));
        } catch (StoreUnavailableException e) {
            LOG.errorf("request %s: %s could not be audited: %s", draft.in.requestId(), kind, e.getMessage());
            throw new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "service temporarily unavailable, retry later", e.getMessage());
        }
        return outcome.value();
    }

    private static void refusal(AuditTrail audit, String kind, Draft draft, OAuthException e) {
        if (!e.audited()) {
            return;
        }
        boolean error = e.code() == OAuthErrorCode.TEMPORARILY_UNAVAILABLE;
        try {
            audit.record(draft.event(kind, error ? AuditEvent.Outcome.ERROR : AuditEvent.Outcome.REFUSED,
                    e.code().code(), e.detail()));
        } catch (StoreUnavailableException auditDown) {
            LOG.errorf("request %s: %s refusal (%s) could not be audited: %s", draft.in.requestId(), kind,
                    e.code().code(), auditDown.getMessage());
            if (!error) {
                throw new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                        "service temporarily unavailable, retry later", auditDown.getMessage());
            }
        }
    }

    /**
     * The steps both calls begin with (RFC 7662 §2.1, RFC 7009 §2.1): a form body, an authenticated client, and the
     * presented token looked up among the tenant's own; each fact lands in {@code draft} as soon as it is known.
     */
    static Presented present(Draft draft, TenantSnapshot tenant, ClientAuthenticator clients, JwtSubjectVerifier tokens,
            String endpoint) {
        if (!draft.in.formEncoded()) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, FormBody.NOT_FORM);
        }
        TokenReferenceRequest request = TokenReferenceRequest.parse(FormBody.decode(draft.in.body()));
        draft.clientId = request.credentials().clientId();
        OAuthClient client = clients.authenticateRequired(tenant, request.credentials(), draft.in.authorization(),
                endpoint, draft.in.sourceAddress());
        draft.clientId = client.clientId();
        return new Presented(client, tokens.ownToken(tenant.tenant().id(), request.token()));
    }

    /** The authenticated client and the token it presented. */
    record Presented(OAuthClient client, OwnToken token) {
    }

    /** A call's answer and the reason its audit row gives. */
    record Outcome<T>(T value, String reason) {
    }
}
