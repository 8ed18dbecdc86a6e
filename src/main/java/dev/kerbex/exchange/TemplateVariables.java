package dev.kerbex.exchange;

import dev.kerbex.policy.ClaimTemplates;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.tenant.GroupNames;
import dev.kerbex.tenant.Tenant;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The variables policy templates see (SPEC §7 "Grant"): the subject's string and number claims, then
 * {@code principal}, {@code realm}, {@code krb_principal} and {@code client_id}, which no claim can shadow; for a
 * subject with an AD PAC (SPEC §5a) {@code upn}, and for every subject {@code groups}, the list of its group names
 * (empty without a PAC).
 * Shared by every issuer, so a template means the same for a JWT and for a Kerberos ticket.
 */
public final class TemplateVariables {
    private TemplateVariables() {
    }

    public static Map<String, Object> of(ExchangeContext ctx) {
        VerifiedSubject s = ctx.subject();
        Map<String, Object> vars = new HashMap<>(s.claims());
        vars.put("principal", s.principal());
        if (s.realm() != null) {
            vars.put("realm", s.realm());
        }
        String krbPrincipal = krbPrincipal(s);
        if (krbPrincipal != null) {
            vars.put("krb_principal", krbPrincipal);
        }
        vars.put("client_id", ctx.client().clientId());
        DirectoryIdentity directory = s.directory();
        vars.put(ClaimTemplates.GROUPS, directory == null ? List.of()
                : GroupNames.names(directory.groupSids(), ctx.tenant().tenant().groupNames()));
        if (directory != null && directory.upn() != null) {
            vars.put("upn", directory.upn());
        }
        return vars;
    }

    /** SPEC §5a: the subject's groups for policy matching, the tenant's names for its SIDs and every SID. */
    public static Set<String> groups(VerifiedSubject s, Tenant tenant) {
        return s.directory() == null ? Set.of() : GroupNames.all(s.directory().groupSids(), tenant.groupNames());
    }

    /** An extra claim's value: the JSON array of group names for {@code ${groups}}, else the rendered template. */
    public static Object claim(String template, Map<String, Object> variables, String what) {
        if (ClaimTemplates.GROUPS_TEMPLATE.equals(template)) {
            return variables.get(ClaimTemplates.GROUPS);
        }
        return render(template, variables, what);
    }

    /**
     * The Kerberos identity behind the subject: the verified principal of an AP-REQ, or the {@code krb_principal}
     * a token of this tenant carries (kept along an exchange chain for the inverse path, SPEC §6).
     */
    public static String krbPrincipal(VerifiedSubject s) {
        if (s.isKerberos()) {
            return s.principal();
        }
        return s.claims().get("krb_principal") instanceof String k ? k : null;
    }

    /** Renders a policy template; a variable the subject lacks refuses the exchange (SPEC §4 wording). */
    public static String render(String template, Map<String, Object> variables, String what) {
        try {
            return ClaimTemplates.render(template, variables);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "subject_token: lacks a claim the policy's " + what
                    + " needs", e.getMessage());
        }
    }
}
