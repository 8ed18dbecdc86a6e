package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.exchange.ExchangeContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.policy.Decision;
import dev.kerbex.policy.Effect;
import dev.kerbex.policy.Policy;
import dev.kerbex.policy.PolicyGrant;
import dev.kerbex.protocol.FormBody;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenRequest;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the inverse path refuses before it asks any KDC (the KDC's own answers are in {@code InverseExchangeIT}).
 * The issuer is built without configuration: none of these cases reads it.
 */
class KerberosTicketIssuerTest {
    static final String POSTGRES = "postgres/db.corp.example@CORP.EXAMPLE";
    static final Tenant.S4uSettings S4U = new Tenant.S4uSettings("HTTP/kerbex.corp.example@CORP.EXAMPLE",
            "/nonexistent/kerbex.keytab", "CORP.EXAMPLE");
    final KerberosTicketIssuer issuer = new KerberosTicketIssuer((KerbexConfig) null, java.time.Clock.systemUTC());

    @Test
    void issueWhenTenantHasNoS4uIdentityThenInvalidRequest() {
        assertRefused(context(null, "audience=" + POSTGRES, Map.of("preferred_username", "alice"), null),
                OAuthErrorCode.INVALID_REQUEST, "requested_token_type: this tenant has no Kerberos identity for issuing tickets");
    }

    @Test
    void issueWhenResourceGivenThenInvalidTarget() {
        assertRefused(context(S4U, "audience=" + POSTGRES + "&resource=https://api.example", Map.of(), null),
                OAuthErrorCode.INVALID_TARGET,
                "resource: not used for Kerberos tickets; name the target service principal as audience");
    }

    @Test
    void issueWhenAudienceIsNoServicePrincipalThenInvalidTarget() {
        assertRefused(context(S4U, "audience=https://db.corp.example", Map.of(), null), OAuthErrorCode.INVALID_TARGET,
                "audience: a Kerberos ticket's audience is a service principal (service/host@REALM)");
    }

    @Test
    void issueWhenTemplateNeedsAClaimTheSubjectLacksThenInvalidRequest() {
        assertRefused(context(S4U, "audience=" + POSTGRES, Map.of(), "${upn}"), OAuthErrorCode.INVALID_REQUEST,
                "subject_token: lacks a claim the policy's kerberos_user_principal needs");
    }

    @Test
    void issueWhenNoKrbPrincipalAndNoPreferredUsernameThenInvalidRequest() {
        assertRefused(context(S4U, "audience=" + POSTGRES, Map.of("email", "alice@corp.example"), null),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: lacks a claim the policy's kerberos_user_principal needs");
    }

    @Test
    void issueWhenDerivedPrincipalMalformedThenInvalidRequest() {
        assertRefused(context(S4U, "audience=" + POSTGRES, Map.of("preferred_username", "alice smith"), null),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: the Kerberos user principal derived from it is malformed");
        assertRefused(context(S4U, "audience=" + POSTGRES, Map.of("upn", "alice@CORP@EVIL"), "${upn}"),
                OAuthErrorCode.INVALID_REQUEST, "subject_token: the Kerberos user principal derived from it is malformed");
    }

    private void assertRefused(ExchangeContext ctx, OAuthErrorCode code, String description) {
        assertThatThrownBy(() -> issuer.issue(ctx)).isInstanceOfSatisfying(OAuthException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(code);
            org.assertj.core.api.Assertions.assertThat(e.description()).isEqualTo(description);
        });
    }

    private static ExchangeContext context(Tenant.S4uSettings s4u, String targets, Map<String, Object> claims,
            String userTemplate) {
        Instant now = Instant.now();
        Tenant tenant = new Tenant("corp", List.of("CORP.EXAMPLE"), List.of(), List.of(), Duration.ofHours(1), s4u);
        OAuthClient client = new OAuthClient("corp", "gateway", null, null, List.of(OAuthClient.TOKEN_EXCHANGE), List.of(), null);
        TokenRequest request = TokenRequest.parse(FormBody.decode(("grant_type=urn:ietf:params:oauth:grant-type:token-exchange"
                + "&subject_token=x&subject_token_type=urn:ietf:params:oauth:token-type:jwt"
                + "&requested_token_type=urn:kerbex:token-type:kerberos-ccache&" + targets).getBytes(StandardCharsets.UTF_8)));
        VerifiedSubject subject = new VerifiedSubject(TokenType.JWT, "u-123", null, "https://idp.corp.example", Set.of(),
                now.plusSeconds(600), null, null, null, claims);
        Policy policy = new Policy("00000000-0000-0000-0000-000000000001", 1, "tickets", Effect.ALLOW, 100, null,
                new PolicyGrant(null, null, null, null, null, List.of(POSTGRES), userTemplate, false, false));
        Decision.Permit permit = new Decision.Permit(policy, Set.of(), Duration.ofMinutes(10), List.of());
        return new ExchangeContext(TenantSnapshot.of(tenant, List.of(client), List.of(policy)), "https://kerbex/tenants/corp",
                client, request, subject, null, permit, now);
    }
}
