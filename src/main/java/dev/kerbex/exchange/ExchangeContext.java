package dev.kerbex.exchange;

import dev.kerbex.policy.Decision;
import dev.kerbex.protocol.TokenRequest;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TenantSnapshot;
import java.time.Instant;

/**
 * One permitted exchange, immutable, handed to the issuer. {@code actor} is null without delegation;
 * {@code dpopJkt} is the RFC 7638 thumbprint of the verified DPoP proof's key (RFC 9449), null without a proof;
 * {@code x5tS256} the SHA-256 thumbprint of the TLS client certificate the token is bound to (RFC 8705 §3), null
 * when it is not certificate-bound.
 */
public record ExchangeContext(TenantSnapshot tenant, String issuer, OAuthClient client, TokenRequest request,
        VerifiedSubject subject, VerifiedSubject actor, Decision.Permit permit, Instant now, String dpopJkt,
        String x5tS256) {

    /** Not certificate-bound. */
    public ExchangeContext(TenantSnapshot tenant, String issuer, OAuthClient client, TokenRequest request,
            VerifiedSubject subject, VerifiedSubject actor, Decision.Permit permit, Instant now, String dpopJkt) {
        this(tenant, issuer, client, request, subject, actor, permit, now, dpopJkt, null);
    }

    /** Without a DPoP proof. */
    public ExchangeContext(TenantSnapshot tenant, String issuer, OAuthClient client, TokenRequest request,
            VerifiedSubject subject, VerifiedSubject actor, Decision.Permit permit, Instant now) {
        this(tenant, issuer, client, request, subject, actor, permit, now, null);
    }
}
