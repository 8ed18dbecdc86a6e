package dev.kerbex.introspection;

import dev.kerbex.audit.AuditEvent;
import dev.kerbex.audit.AuditTrail;
import dev.kerbex.client.ClientAuthenticator;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.jwt.JwtSubjectVerifier;
import dev.kerbex.jwt.OwnToken;
import dev.kerbex.protocol.FormBody;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenReferenceRequest;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What introspection and revocation share, once: the steps both calls begin with (RFC 7662 §2.1, RFC 7009 §2.1) — a
 * form body, an authenticated client, the presented token checked as one of the tenant's own — and the audit trail:
 * every answer, and every refusal, is written before it leaves (SPEC §10), never with the token itself; a database
 * failure answers 503. {@link TokenIntrospection} and {@link TokenRevocation} add only their decision.
 */
@ApplicationScoped
public class IssuedTokenCalls {
    private static final Logger LOG = Logger.getLogger(IssuedTokenCalls.class);

    /** The authenticated client and the token it presented (checked; {@link OwnToken#valid()} says whether it passed). */
    record Presented(OAuthClient client, OwnToken token) {
    }

    /** A call's answer and the reason its audit row gives. */
    record Outcome<T>(T value, String reason) {
    }

    /** What one call has learnt so far, for its audit row. */
    private static final class Draft {
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

    private final ClientAuthenticator clients;
    private final JwtSubjectVerifier tokens;
    private final AuditTrail audit;
    private final Clock clock;

    IssuedTokenCalls(ClientAuthenticator clients, JwtSubjectVerifier tokens, AuditTrail audit, Clock clock) {
        this.clients = clients;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Runs one call at {@code endpoint} ({@code introspect}, {@code revoke}): the shared steps, then {@code decide},
     * whose outcome carries the audit reason of the success. A refusal is audited as such; when the database is down,
     * 503 (audited if the trail can still be written, logged otherwise).
     */
    <T> T call(TenantSnapshot tenant, ExchangeInput in, String kind, String endpoint,
            Function<Presented, Outcome<T>> decide) {
        Draft draft = new Draft(in, clock.instant());
        Outcome<T> outcome;
        try {
            outcome = decide.apply(present(draft, tenant, endpoint));
        } catch (OAuthException e) {
            refusal(kind, draft, e);
            throw e;
        } catch (StoreUnavailableException e) {
            LOG.warnf("request %s: %s", in.requestId(), e.getMessage());
            OAuthException unavailable = new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "service temporarily unavailable, retry later", e.getMessage());
            refusal(kind, draft, unavailable);
            throw unavailable;
        }
        try {
            audit.record(draft.event(kind, AuditEvent.Outcome.SUCCESS, null, outcome.reason()));
        } catch (StoreUnavailableException e) {
            LOG.errorf("request %s: %s could not be audited: %s", in.requestId(), kind, e.getMessage());
            throw new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "service temporarily unavailable, retry later", e.getMessage());
        }
        return outcome.value();
    }

    /** Each fact lands in {@code draft} as soon as it is known; the token's claims only once it verified. */
    private Presented present(Draft draft, TenantSnapshot tenant, String endpoint) {
        if (!draft.in.formEncoded()) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, FormBody.NOT_FORM);
        }
        TokenReferenceRequest request = TokenReferenceRequest.parse(FormBody.decode(draft.in.body()));
        draft.clientId = request.credentials().clientId();
        OAuthClient client = clients.authenticateRequired(tenant, request.credentials(), draft.in.authorization(),
                endpoint, draft.in.sourceAddress(), draft.in.clientCertificates());
        draft.clientId = client.clientId();
        OwnToken token = tokens.ownToken(tenant.tenant().id(), request.token());
        if (token.valid()) {
            draft.token = token;
        }
        return new Presented(client, token);
    }

    private void refusal(String kind, Draft draft, OAuthException e) {
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
}
