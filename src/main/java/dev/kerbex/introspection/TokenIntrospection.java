package dev.kerbex.introspection;

import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.jwt.OwnToken;
import dev.kerbex.store.RevocationStore;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 7662 token introspection. The answer is {@code {"active": false}} for anything that is not a token this
 * tenant issued, still valid and not revoked — and also for a valid token the calling client has no business
 * with: a client may introspect a token issued to it ({@code client_id}) or minted for it ({@code aud} names its
 * {@code client_id} or one of its registered audiences), the same rule that makes a JWT an exchange credential
 * (SPEC §3). RFC 7662 §4 asks for such a restriction so that tokens do not leak to any client of the tenant.
 * Every answer is audited (kind {@code introspection}), with the reason, never the token ({@link IssuedTokenCalls}).
 */
@ApplicationScoped
public class TokenIntrospection {
    static final String KIND = "introspection";

    private final IssuedTokenCalls calls;
    private final RevocationStore revocations;

    public TokenIntrospection(IssuedTokenCalls calls, RevocationStore revocations) {
        this.calls = calls;
        this.revocations = revocations;
    }

    /** The introspection response (RFC 7662 §2.2). */
    public Map<String, Object> introspect(TenantSnapshot tenant, ExchangeInput in) {
        return calls.call(tenant, in, KIND, "introspect", presented -> {
            OAuthClient client = presented.client();
            OwnToken token = presented.token();
            if (!token.valid()) {
                return inactive("inactive: " + token.refusal());
            }
            if (!mayIntrospect(client, token)) {
                return inactive("inactive: token neither issued to nor minted for client " + client.clientId());
            }
            if (token.jti() != null && revocations.isRevoked(tenant.tenant().id(), token.jti())) {
                return inactive("inactive: revoked");
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("active", true);
            answer.putAll(token.claims());
            answer.put("active", true); // a policy claim named "active" must not change the answer
            // RFC 9449 §6.2 with RFC 7662: a DPoP-bound token says so.
            answer.put("token_type", token.claims().get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") != null
                    ? "DPoP" : "Bearer");
            return new IssuedTokenCalls.Outcome<>(answer, "active");
        });
    }

    private static boolean mayIntrospect(OAuthClient client, OwnToken token) {
        return client.clientId().equals(token.clientId()) || token.audiences().contains(client.clientId())
                || token.audiences().stream().anyMatch(client.audiences()::contains);
    }

    private static IssuedTokenCalls.Outcome<Map<String, Object>> inactive(String reason) {
        return new IssuedTokenCalls.Outcome<>(Map.of("active", false), reason);
    }
}
