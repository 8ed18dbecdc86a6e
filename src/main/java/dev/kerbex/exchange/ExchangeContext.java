package dev.kerbex.exchange;

import dev.kerbex.client.OAuthClient;
import dev.kerbex.policy.Decision;
import dev.kerbex.protocol.TokenRequest;
import dev.kerbex.tenant.TenantSnapshot;
import java.time.Instant;

/** One permitted exchange, immutable, handed to the issuer. {@code actor} is null without delegation. */
public record ExchangeContext(TenantSnapshot tenant, String issuer, OAuthClient client, TokenRequest request,
        VerifiedSubject subject, VerifiedSubject actor, Decision.Permit permit, Instant now) {
}
