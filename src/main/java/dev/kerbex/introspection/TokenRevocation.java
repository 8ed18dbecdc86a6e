package dev.kerbex.introspection;

import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.jwt.OwnToken;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.store.RevocationStore;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * RFC 7009 token revocation, by {@code jti}, of access tokens this tenant issued. A token that is not one
 * (malformed, another issuer's, a bad signature, expired) is answered 200 without effect (§2.2: an invalid token
 * is no error). A valid token issued to another client is refused with {@code unauthorized_client} (§2.1: "If
 * this validation fails, the request is refused and the client is informed of the error"). {@code
 * token_type_hint} is read and ignored: there is only one kind of token to look for. Audited (kind {@code
 * revocation}, {@link IssuedTokenCalls}).
 */
@ApplicationScoped
public class TokenRevocation {
    static final String KIND = "revocation";
    /** The store's column; Kerbex's own jti values are UUIDs. */
    private static final int MAX_JTI = 255;

    private final IssuedTokenCalls calls;
    private final RevocationStore revocations;

    public TokenRevocation(IssuedTokenCalls calls, RevocationStore revocations) {
        this.calls = calls;
        this.revocations = revocations;
    }

    public void revoke(TenantSnapshot tenant, ExchangeInput in) {
        calls.call(tenant, in, KIND, "revoke", presented -> {
            OAuthClient client = presented.client();
            OwnToken token = presented.token();
            if (!token.valid()) {
                return done("no effect: " + token.refusal());
            }
            if (!client.clientId().equals(token.clientId())) {
                throw new OAuthException(OAuthErrorCode.UNAUTHORIZED_CLIENT, "token: was not issued to this client",
                        "token: issued to " + token.clientId() + ", not to " + client.clientId());
            }
            if (token.jti() == null || token.jti().length() > MAX_JTI) {
                return done("no effect: token has no usable jti");
            }
            revocations.revoke(tenant.tenant().id(), token.jti(), client.clientId(), token.expiresAt());
            return done("revoked");
        });
    }

    private static IssuedTokenCalls.Outcome<Void> done(String reason) {
        return new IssuedTokenCalls.Outcome<>(null, reason);
    }
}
