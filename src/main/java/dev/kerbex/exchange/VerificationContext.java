package dev.kerbex.exchange;

import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TenantSnapshot;

/**
 * What a {@link SubjectVerifier} may need besides the token: the tenant (its settings, clients and issuer),
 * the client authenticated by credentials, and the parameter being verified.
 *
 * @param client    the client proven by credentials; {@code null} only for a Kerberos subject that may still
 *                  turn out to be a self-exchange (SPEC §3). JWT subjects are refused earlier without one,
 *                  because their audience is checked against the client.
 * @param parameter {@code subject_token} or {@code actor_token}: the prefix of every error description
 * @param replays   where a verifier leaves the replay-cache entries to be committed with the exchange's audit row;
 *                  {@code null} when the caller has no such commit, and a verifier records them at once
 */
public record VerificationContext(TenantSnapshot tenant, OAuthClient client, String parameter, PendingReplays replays) {

    public VerificationContext(TenantSnapshot tenant, OAuthClient client, String parameter) {
        this(tenant, client, parameter, null);
    }
}
