package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kerbex trusted-issuers list|get|apply|delete}: the external issuers whose JWTs a tenant accepts as subject
 * and actor tokens. One is named by its {@code issuer} URL or its {@code id}; writes are {@code If-Match}-safe
 * ({@link Versioned}).
 */
@Command(name = "trusted-issuers", description = "Trusted external token issuers of a tenant.",
        subcommands = {TrustedIssuersCommand.ListIssuers.class, TrustedIssuersCommand.Get.class,
                TrustedIssuersCommand.Apply.class, TrustedIssuersCommand.Delete.class})
final class TrustedIssuersCommand {
    static final List<String> READ_ONLY = List.of("id", "created_at", "updated_at");

    static JsonNode all(AdminApi api, String tenant) {
        return api.get(AdminApi.tenantPath(tenant, "trusted-issuers")).body();
    }

    static Optional<JsonNode> lookup(JsonNode issuers, String ref) {
        return PoliciesCommand.lookup(issuers, ref, "id", "issuer");
    }

    static String path(String tenant, String id) {
        return AdminApi.tenantPath(tenant, "trusted-issuers", id);
    }

    private static String find(AdminApi api, String tenant, String ref) {
        return lookup(all(api, tenant), ref).map(i -> i.get("id").asText())
                .orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no trusted issuer " + ref));
    }

    @Command(name = "list", description = "List the tenant's trusted issuers.")
    static final class ListIssuers extends Base {
        @Override
        public Integer call() {
            JsonNode issuers = all(api(), tenant());
            return show(issuers, () -> {
                List<List<String>> rows = new ArrayList<>();
                issuers.forEach(i -> rows.add(List.of(Output.text(i, "issuer"), Output.text(i, "jwks_uri"),
                        i.hasNonNull("algorithms") ? Output.text(i, "algorithms") : "(ES256,RS256)", Output.text(i, "id"))));
                Output.table(out(), List.of("ISSUER", "JWKS_URI", "ALGORITHMS", "ID"), rows);
            });
        }
    }

    @Command(name = "get", description = "Show one trusted issuer as JSON, with its version (the form `apply` takes).")
    static final class Get extends Base {
        @Parameters(paramLabel = "ISSUER", description = "Its issuer URL or id.")
        String ref;

        @Override
        public Integer call() {
            String tenant = tenant();
            Output.json(out(), Versioned.read(api(), path(tenant, find(api(), tenant, ref))));
            return ExitCodes.OK;
        }
    }

    /**
     * As {@code policies apply}: each document matched by {@code id} when it has one, else by {@code issuer}; created
     * when missing, left alone when equal, else replaced with {@code If-Match} (the file's {@code version}, else the
     * version just read).
     */
    @Command(name = "apply", description = "Create or update trusted issuers from a JSON file; unchanged ones are left alone.")
    static final class Apply extends Base {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "A trusted issuer JSON object, or an array of them; - for standard input.")
        Path file;

        @Option(names = "--dry-run", description = "Show what would change, as a diff, and change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            List<ObjectNode> documents = PoliciesCommand.documents(PoliciesCommand.read(file), file.toString(),
                    "trusted issuer");
            String tenant = tenant();
            AdminApi api = api();
            JsonNode current = all(api, tenant);
            ArrayNode results = AdminApi.JSON.createArrayNode();
            for (ObjectNode document : documents) {
                ObjectNode result = applyOne(api, tenant, current, document);
                results.add(result);
                if (!json()) {
                    out().printf("%s trusted issuer %s (%s)%n", result.get("action").asText(),
                            result.get("issuer").asText(), result.has("previous_version")
                                    ? "version " + result.get("previous_version").asText() + " -> "
                                            + result.get("version").asText()
                                    : result.has("version") ? "version " + result.get("version").asText() : "new");
                    if (result.has("diff")) {
                        result.get("diff").asText().lines().forEach(line -> out().println("    " + line));
                    }
                }
            }
            if (json()) {
                Output.json(out(), results);
            }
            return ExitCodes.OK;
        }

        private ObjectNode applyOne(AdminApi api, String tenant, JsonNode current, ObjectNode document) {
            String issuer = document.path("issuer").asText("");
            String id = document.hasNonNull("id") ? document.get("id").asText() : null;
            ObjectNode desired = Versioned.writable(document, READ_ONLY);
            String want = Output.pretty(Output.canonical(desired));
            Optional<JsonNode> existing = id != null ? PoliciesCommand.lookup(current, id, "id")
                    : PoliciesCommand.lookup(current, issuer, "issuer");
            ObjectNode result = AdminApi.JSON.createObjectNode().put("issuer", issuer);
            if (existing.isEmpty()) {
                if (id != null) {
                    throw new CliException(ExitCodes.NOT_FOUND, "trusted issuer " + issuer + ": no trusted issuer"
                            + " has the file's id " + id + " (deleted?); remove id and version to create it anew");
                }
                if (dryRun) {
                    return result.put("action", "would create").put("diff", String.join("\n", Output.diff("", want)));
                }
                AdminApi.Answer a = api.post(AdminApi.tenantPath(tenant, "trusted-issuers"), desired);
                return result.put("action", "created").put("id", a.body().path("id").asText()).put("version", a.etag());
            }
            String path = path(tenant, existing.get().get("id").asText());
            ObjectNode stored = Versioned.read(api, path);
            String version = Versioned.version(stored);
            result.put("id", stored.get("id").asText());
            String have = Output.pretty(Output.canonical(Versioned.writable(stored, READ_ONLY)));
            if (have.equals(want)) {
                return result.put("action", "unchanged").put("version", version);
            }
            String ifMatch = Versioned.version(document) != null ? Versioned.version(document) : version;
            if (dryRun) {
                return result.put("action", "would update").put("version", version)
                        .put("diff", String.join("\n", Output.diff(have, want)));
            }
            AdminApi.Answer a = Versioned.put(api, path, desired, ifMatch, "trusted issuer " + issuer);
            return result.put("action", "updated").put("previous_version", ifMatch).put("version", a.etag());
        }
    }

    @Command(name = "delete", description = "Stop trusting an issuer: its tokens are refused from the next request on.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "ISSUER", description = "Its issuer URL or id.")
        String ref;

        @Option(names = "--if-version", paramLabel = "V",
                description = "Delete only if it is still at this version (default: the one just read).")
        String ifVersion;

        @Override
        public Integer call() {
            String tenant = tenant();
            String path = path(tenant, find(api(), tenant, ref));
            ObjectNode stored = Versioned.read(api(), path);
            String version = ifVersion != null ? ifVersion : Versioned.version(stored);
            Versioned.delete(api(), path, version, "trusted issuer " + stored.get("issuer").asText());
            ObjectNode result = AdminApi.JSON.createObjectNode().put("issuer", stored.get("issuer").asText())
                    .put("id", stored.get("id").asText()).put("action", "deleted").put("version", version);
            return show(result, () -> out().printf("deleted trusted issuer %s (was version %s)%n",
                    stored.get("issuer").asText(), version));
        }
    }
}
