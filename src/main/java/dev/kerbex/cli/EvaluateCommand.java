package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kerbex evaluate}: the admin API's dry run of the policy decision for a described request. Exit 0 when the
 * request would be allowed, 8 when it would be refused, so a script can test a policy change.
 */
@Command(name = "evaluate", description = "Dry-run the policy decision for a described token request.")
final class EvaluateCommand extends Base {
    static final String KERBEROS = "urn:kerbex:token-type:kerberos-ap-req";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    @Option(names = "--client", required = true, paramLabel = "CLIENT_ID", description = "The requesting client.")
    String client;

    static final class Subject {
        @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "A Kerberos subject, e.g. alice@EXAMPLE.TEST.")
        String principal;

        @Option(names = "--sub", paramLabel = "SUB", description = "A JWT subject's sub (with --iss).")
        String sub;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--iss", paramLabel = "ISSUER", description = "The JWT subject's issuer.")
    String iss;

    @Option(names = "--subject-token-type", paramLabel = "URI",
            description = "Default: the Kerberos AP-REQ type with --principal, the access-token type with --sub.")
    String subjectTokenType;

    @Option(names = {"--audience", "-a"}, paramLabel = "AUDIENCE", description = "Requested audience (repeatable).")
    List<String> audiences = new ArrayList<>();

    @Option(names = "--resource", paramLabel = "URI", description = "Requested resource (repeatable).")
    List<String> resources = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Requested scope, space-separated.")
    String scope;

    @Option(names = "--requested-token-type", paramLabel = "URI")
    String requestedTokenType;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "Principal or sub of the actor token.")
    String actor;

    @Option(names = "--actor-issuer", paramLabel = "ISSUER", description = "The trusted issuer of the actor token.")
    String actorIssuer;

    @Option(names = "--source-address", paramLabel = "IP", description = "The client's IP address (a literal).")
    String sourceAddress;

    @Option(names = "--subject-scope", paramLabel = "SCOPE", description = "The JWT subject's own scope.")
    String subjectScope;

    @Option(names = "--may-act", paramLabel = "ACTOR", description = "The subject token's may_act entries (repeatable).")
    List<String> mayAct = new ArrayList<>();

    @Option(names = "--group-sid", paramLabel = "SID",
            description = "A group SID the subject's Active Directory PAC would carry (repeatable).")
    List<String> groupSids = new ArrayList<>();

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Time left on the subject (ISO-8601; default PT10H).")
    String expiresIn;

    @Override
    public Integer call() {
        ObjectNode request = AdminApi.JSON.createObjectNode().put("client_id", client);
        request.put("subject_token_type", subjectTokenType != null ? subjectTokenType
                : subject.principal != null ? KERBEROS : ACCESS_TOKEN);
        if (!audiences.isEmpty()) {
            audiences.forEach(request.putArray("audience")::add);
        }
        if (!resources.isEmpty()) {
            resources.forEach(request.putArray("resource")::add);
        }
        putIf(request, "scope", scope);
        putIf(request, "requested_token_type", requestedTokenType);
        putIf(request, "actor", actor);
        putIf(request, "actor_issuer", actorIssuer);
        putIf(request, "source_address", sourceAddress);
        ObjectNode s = request.putObject("subject");
        putIf(s, "principal", subject.principal);
        putIf(s, "sub", subject.sub);
        putIf(s, "iss", iss);
        putIf(s, "scope", subjectScope);
        if (!mayAct.isEmpty()) {
            mayAct.forEach(s.putArray("may_act")::add);
        }
        if (!groupSids.isEmpty()) {
            groupSids.forEach(s.putArray("group_sids")::add);
        }
        putIf(s, "expires_in", expiresIn);
        JsonNode r = api().post(AdminApi.tenantPath(tenant(), "evaluate"), request).body();
        show(r, () -> human(r));
        return "allow".equals(r.path("decision").asText()) ? ExitCodes.OK : ExitCodes.DENIED;
    }

    private void human(JsonNode r) {
        out().println("decision: " + r.path("decision").asText());
        JsonNode p = r.path("policy");
        if (!p.isMissingNode()) {
            out().printf("policy:   %s (revision %s, %s)%n", p.path("name").asText(), p.path("revision").asText(),
                    p.path("effect").asText());
        }
        if (r.has("scope")) {
            out().println("scope:    " + r.get("scope").asText());
        }
        if (r.has("expires_in")) {
            out().println("lifetime: " + r.get("expires_in").asText() + "s");
        }
        if (r.path("groups").size() > 0) {
            List<String> groups = new ArrayList<>();
            r.get("groups").forEach(g -> groups.add(g.asText()));
            out().println("groups:   " + String.join(", ", groups));
        }
        if (r.has("error")) {
            out().println("error:    " + r.get("error").asText() + ": " + Output.text(r, "error_description"));
        }
        List<List<String>> rows = new ArrayList<>();
        r.path("policies").forEach(x -> rows.add(List.of(Output.text(x, "name"), Output.text(x, "effect"),
                x.path("matched").asBoolean() ? "yes" : "no", Output.text(x, "reason"))));
        if (!rows.isEmpty()) {
            out().println();
            Output.table(out(), List.of("POLICY", "EFFECT", "MATCHED", "WHY NOT"), rows);
        }
    }

    private static void putIf(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
