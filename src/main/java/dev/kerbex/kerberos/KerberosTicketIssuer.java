package dev.kerbex.kerberos;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.exchange.ExchangeContext;
import dev.kerbex.exchange.TemplateVariables;
import dev.kerbex.exchange.TokenIssuer;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.tenant.Tenant;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The inverse path (SPEC §6): a permitted exchange whose requested type is a Kerberos ticket gets a service
 * ticket for the audience, in the name of the user the policy's template derives from the subject, obtained
 * with S4U2Self + S4U2Proxy under the tenant's S4U identity, ending no later than the granted lifetime (which
 * never passes the subject token's {@code exp}). KDC refusals become {@code invalid_request} descriptions a
 * Kerberos administrator can act on; a KDC that cannot be reached is {@code temporarily_unavailable}.
 */
@ApplicationScoped
public class KerberosTicketIssuer implements TokenIssuer {
    private static final Logger LOG = Logger.getLogger(KerberosTicketIssuer.class);
    /** SPEC §6 default when the policy names no template and the subject carries no {@code krb_principal}. */
    static final String DEFAULT_USER_TEMPLATE = "${preferred_username}@${default_realm}";
    private static final Pattern USER_PRINCIPAL = Pattern.compile("[^@/\\s\\p{Cntrl}]{1,256}@[A-Za-z0-9._-]{1,255}");
    private static final Pattern TARGET_PRINCIPAL =
            Pattern.compile("[^@/\\s\\p{Cntrl}]{1,64}/[^@/\\s\\p{Cntrl}]{1,255}@[A-Za-z0-9._-]{1,255}");

    private final KerbexConfig config;
    private final Clock clock;
    private final ConcurrentMap<Tenant.S4uSettings, S4uClient> clients = new ConcurrentHashMap<>();

    public KerberosTicketIssuer(KerbexConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * The JDK's Kerberos login reads {@code java.security.krb5.conf}, not {@code KRB5_CONFIG}: point it at the
     * krb5.conf of SPEC §11 when one is configured, once, before any login.
     */
    void pointJdkAtKrb5Conf(@Observes StartupEvent start) {
        String configured = config.kerberos().krb5Conf().map(Path::toString).orElse(System.getenv("KRB5_CONFIG"));
        if (configured != null && !configured.isBlank()) {
            System.setProperty("java.security.krb5.conf", configured);
        }
    }

    @Override
    public Set<TokenType> issues() {
        return Set.of(TokenType.KERBEROS_KRB_CRED, TokenType.KERBEROS_CCACHE);
    }

    @Override
    public IssuedToken issue(ExchangeContext ctx) {
        Tenant.S4uSettings s4u = ctx.tenant().tenant().s4u();
        if (s4u == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "requested_token_type: this tenant has no Kerberos identity for issuing tickets");
        }
        String target = target(ctx);
        String user = userPrincipal(ctx, s4u);
        Instant till = ctx.now().plus(ctx.permit().lifetime());
        ServiceTicket ticket;
        try {
            ticket = client(s4u).obtain(user, target, till);
        } catch (S4uException e) {
            throw refusal(e, s4u, user, target);
        }
        byte[] encoded = ctx.request().requestedTokenType() == TokenType.KERBEROS_CCACHE ? TicketEncodings.ccache(ticket)
                : TicketEncodings.krbCred(ticket);
        long expiresIn = Math.max(0, Duration.between(ctx.now(), ticket.endTime()).getSeconds());
        return new IssuedToken(Base64.getUrlEncoder().withoutPadding().encodeToString(encoded),
                ctx.request().requestedTokenType(), "N_A", expiresIn, null, ticket.endTime(),
                "Kerberos ticket for " + user + " to " + target + ", ends " + ticket.endTime());
    }

    /** The one audience, a service principal; RFC 8707 resources mean nothing to a Kerberos ticket. */
    private static String target(ExchangeContext ctx) {
        if (!ctx.request().resources().isEmpty()) {
            throw new OAuthException(OAuthErrorCode.INVALID_TARGET,
                    "resource: not used for Kerberos tickets; name the target service principal as audience");
        }
        if (ctx.request().audiences().size() != 1) {
            throw new OAuthException(OAuthErrorCode.INVALID_TARGET,
                    "audience: name exactly one target service principal (service/host@REALM)");
        }
        String target = ctx.request().audiences().get(0);
        if (!TARGET_PRINCIPAL.matcher(target).matches()) {
            throw new OAuthException(OAuthErrorCode.INVALID_TARGET,
                    "audience: a Kerberos ticket's audience is a service principal (service/host@REALM)");
        }
        return target;
    }

    /** SPEC §6: the policy's template, else the subject's {@code krb_principal}, else preferred_username@default_realm. */
    private static String userPrincipal(ExchangeContext ctx, Tenant.S4uSettings s4u) {
        Map<String, Object> variables = TemplateVariables.of(ctx);
        if (s4u.defaultRealm() != null) {
            variables.put("default_realm", s4u.defaultRealm());
        }
        String template = ctx.permit().grant().kerberosUserPrincipal();
        String user;
        if (template != null) {
            user = TemplateVariables.render(template, variables, "kerberos_user_principal");
        } else if (variables.get("krb_principal") instanceof String krb) {
            user = krb;
        } else {
            user = TemplateVariables.render(DEFAULT_USER_TEMPLATE, variables, "kerberos_user_principal");
        }
        if (!USER_PRINCIPAL.matcher(user).matches()) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "subject_token: the Kerberos user principal derived from it is malformed",
                    "kerberos_user_principal rendered to '" + user + "'");
        }
        return user;
    }

    private S4uClient client(Tenant.S4uSettings s4u) throws S4uException {
        S4uClient existing = clients.get(s4u);
        if (existing != null) {
            return existing;
        }
        Path krb5Conf = krb5Conf();
        try {
            S4uClient fresh = new S4uClient(s4u.principal(), Path.of(s4u.keytab()), krb5Conf,
                    config.kerberos().dnsResolver(), config.kerberos().kdcTimeout(), clock);
            S4uClient raced = clients.putIfAbsent(s4u, fresh);
            return raced != null ? raced : fresh;
        } catch (IOException e) {
            throw new S4uException(S4uException.Kind.LOGIN_FAILED, "krb5.conf " + krb5Conf + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** SPEC §11: {@code kerbex.kerberos.krb5-conf}, else {@code KRB5_CONFIG}, else the JDK's, else /etc/krb5.conf. */
    private Path krb5Conf() {
        return config.kerberos().krb5Conf().orElseGet(() -> {
            String env = System.getenv("KRB5_CONFIG");
            String jdk = System.getProperty("java.security.krb5.conf");
            return Path.of(env != null && !env.isBlank() ? env : jdk != null ? jdk : "/etc/krb5.conf");
        });
    }

    private static OAuthException refusal(S4uException e, Tenant.S4uSettings s4u, String user, String target) {
        String detail = e.getMessage();
        return switch (e.kind()) {
            case DELEGATION_REFUSED -> new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "subject_token: KDC refused constrained delegation to " + target, detail);
            case PROTOCOL_TRANSITION_REFUSED -> new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "subject_token: KDC refused protocol transition (S4U2Self) for " + s4u.principal(), detail);
            case USER_UNKNOWN -> new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "subject_token: Kerberos principal " + user + " is unknown to the KDC", detail);
            case TARGET_UNKNOWN -> new OAuthException(OAuthErrorCode.INVALID_TARGET,
                    "audience: the KDC does not know the service principal " + target, detail);
            case CLOCK_SKEW -> new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "subject_token: the KDC refused Kerbex's request for clock skew; synchronise the clocks", detail);
            case KDC_UNREACHABLE -> new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "subject_token: the KDC cannot be reached, retry later", detail);
            case LOGIN_FAILED, TGT_EXPIRED, OTHER -> {
                LOG.warnf("inverse path for %s to %s: %s", user, target, detail);
                yield new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                        "Kerberos service temporarily unavailable, retry later", detail);
            }
        };
    }
}
