package dev.kerbex.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kerbex policies list|get|apply|delete|revisions|restore}. A policy is named by its {@code name} (the
 * natural key, as in the declarative file) or its id. Files hold the admin API's policy JSON (SPEC §12 shapes): one
 * object, or an array of them.
 */
@Command(name = "policies", description = "Exchange policies of a tenant.",
        subcommands = {PoliciesCommand.ListPolicies.class, PoliciesCommand.Get.class, PoliciesCommand.Apply.class,
                PoliciesCommand.Delete.class, PoliciesCommand.Revisions.class, PoliciesCommand.Restore.class})
final class PoliciesCommand {

    static JsonNode all(AdminApi api, String tenant) {
        return api.get(AdminApi.tenantPath(tenant, "policies")).body();
    }

    /** The current policy named {@code ref} (name, else id); a {@link CliException} 404 when there is none. */
    static JsonNode find(JsonNode policies, String ref) {
        return lookup(policies, ref).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no policy " + ref));
    }

    /** The policy whose {@code members} (by default its name, then its id) equals {@code ref}. */
    static Optional<JsonNode> lookup(JsonNode policies, String ref, String... members) {
        for (String member : members.length > 0 ? List.of(members) : List.of("name", "id")) {
            for (JsonNode p : policies) {
                if (ref.equals(p.path(member).asText(null))) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    @Command(name = "list", description = "List the tenant's policies.")
    static final class ListPolicies extends Base {
        @Override
        public Integer call() {
            JsonNode policies = all(api(), tenant());
            return show(policies, () -> {
                List<List<String>> rows = new ArrayList<>();
                policies.forEach(p -> rows.add(List.of(Output.text(p, "name"), effect(p), priority(p),
                        Output.text(p, "revision"), Output.text(p.path("match"), "audiences"),
                        Output.text(p.path("match"), "clients"), Output.text(p, "id"))));
                Output.table(out(), List.of("NAME", "EFFECT", "PRIORITY", "REVISION", "AUDIENCES", "CLIENTS", "ID"), rows);
            });
        }

        // The API's defaults when a document leaves them out (openapi.yaml, Policy).
        private static String effect(JsonNode p) {
            return p.hasNonNull("effect") ? p.get("effect").asText() : "allow";
        }

        private static String priority(JsonNode p) {
            return p.hasNonNull("priority") ? p.get("priority").asText() : "100";
        }
    }

    @Command(name = "get", description = "Show one policy as JSON, with its id and revision (the form `apply` takes).")
    static final class Get extends Base {
        @Parameters(paramLabel = "POLICY", description = "Name or id.")
        String ref;

        @Override
        public Integer call() {
            JsonNode p = find(all(api(), tenant()), ref);
            Output.json(out(), api().get(AdminApi.tenantPath(tenant(), "policies", p.get("id").asText())).body());
            return ExitCodes.OK;
        }
    }

    /**
     * Creates what is missing and updates what differs, matched by {@code id} when the file has one, else by
     * {@code name}; leaves equal documents alone (no new revision). Updates send {@code If-Match}: the file's
     * {@code revision} when it has one (what its author last read, like kubectl's resourceVersion), else the
     * revision this command just read; a policy changed meanwhile is a conflict (exit 5), never overwritten.
     */
    @Command(name = "apply", description = "Create or update policies from a JSON file; unchanged ones are left alone.")
    static final class Apply extends Base {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "A policy JSON object, or an array of them; - for standard input.")
        Path file;

        @Option(names = "--dry-run", description = "Show what would change, as a diff, and change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            List<ObjectNode> documents = documents(read(file), file.toString(), "policy");
            String tenant = tenant();
            AdminApi api = api();
            JsonNode current = all(api, tenant);
            ArrayNode results = AdminApi.JSON.createArrayNode();
            try {
                for (ObjectNode document : documents) {
                    try {
                        results.add(applyOne(api, tenant, current, document));
                    } catch (CliException e) {
                        throw new CliException(e.exitCode(), "policy " + document.path("name").asText("(no name)")
                                + ": " + e.getMessage(), e.problem());
                    }
                }
            } finally {
                if (json() && results.size() < documents.size() && !results.isEmpty()) {
                    Output.json(out(), results); // what was done before the failure
                }
            }
            if (json()) {
                Output.json(out(), results);
            }
            return ExitCodes.OK;
        }

        private ObjectNode applyOne(AdminApi api, String tenant, JsonNode current, ObjectNode document) {
            String name = document.path("name").asText("");
            String id = document.hasNonNull("id") ? document.get("id").asText() : null;
            Integer fileRevision = document.path("revision").isInt() ? document.get("revision").asInt() : null;
            ObjectNode desired = document.deepCopy();
            desired.remove(List.of("id", "revision"));
            JsonNode wanted = Output.canonical(desired);
            Optional<JsonNode> existing = id != null ? lookup(current, id, "id") : lookup(current, name, "name");
            ObjectNode result = AdminApi.JSON.createObjectNode().put("name", name);
            if (existing.isEmpty()) {
                if (id != null) {
                    throw new CliException(ExitCodes.NOT_FOUND, "no policy has the file's id " + id
                            + " (deleted?); remove id and revision from the file to create it anew");
                }
                result.put("action", dryRun ? "would create" : "created");
                if (dryRun) {
                    human(result, Output.diff("", Output.pretty(wanted)));
                    return result;
                }
                AdminApi.Answer a = api.post(AdminApi.tenantPath(tenant, "policies"), desired);
                result.put("id", a.body().path("id").asText()).put("revision", a.body().path("revision").asInt());
                human(result, List.of());
                return result;
            }
            JsonNode before = existing.get();
            int revision = before.path("revision").asInt();
            result.put("id", before.path("id").asText()).put("revision", revision);
            ObjectNode stored = before.deepCopy();
            stored.remove(List.of("id", "revision"));
            JsonNode have = Output.canonical(stored);
            if (have.equals(wanted)) {
                result.put("action", "unchanged");
                human(result, List.of());
                return result;
            }
            int ifMatch = fileRevision != null ? fileRevision : revision;
            if (dryRun) {
                result.put("action", "would update");
                if (ifMatch != revision) {
                    result.put("conflict", "the file is of revision " + ifMatch + ", the policy is at revision "
                            + revision + ": applying it would be refused as a conflict");
                }
                human(result, Output.diff(Output.pretty(have), Output.pretty(wanted)));
                return result;
            }
            AdminApi.Answer a;
            try {
                a = api.put(AdminApi.tenantPath(tenant, "policies", before.path("id").asText()), desired,
                        Integer.toString(ifMatch));
            } catch (CliException e) {
                if (e.problem() != null && e.problem().path("status").asInt() == 412) {
                    throw new CliException(ExitCodes.CONFLICT, "conflict: it was changed by someone"
                            + " else (" + (fileRevision != null ? "the file is of revision " + fileRevision
                                    + ", the policy was at revision " + revision
                                    : "after this command read revision " + revision)
                            + "); nothing was written. Read it again (kerbex policies get " + name
                            + " -o json), redo the edit and apply.", e.problem());
                }
                throw e;
            }
            result.put("action", "updated").put("revision", a.body().path("revision").asInt())
                    .put("previous_revision", revision);
            human(result, List.of());
            return result;
        }

        /** One line per policy ({@code created policy reads (revision 1)}), and the diff of a dry run. */
        private void human(ObjectNode result, List<String> diff) {
            if (json()) {
                if (!diff.isEmpty()) {
                    result.put("diff", String.join("\n", diff));
                }
                return;
            }
            String action = result.get("action").asText();
            String revision = result.has("previous_revision")
                    ? "revision " + result.get("previous_revision").asInt() + " -> " + result.get("revision").asInt()
                    : result.has("revision") ? "revision " + result.get("revision").asInt() : "new";
            out().printf("%s policy %s (%s)%n", action, result.get("name").asText(), revision);
            if (result.has("conflict")) {
                out().println("  warning: " + result.get("conflict").asText());
            }
            diff.forEach(line -> out().println("    " + line));
        }
    }

    @Command(name = "delete", description = "Delete a policy (its history stays readable and restorable).")
    static final class Delete extends Base {
        @Parameters(paramLabel = "POLICY", description = "Name or id.")
        String ref;

        @Option(names = "--if-revision", paramLabel = "N",
                description = "Delete only if the policy is still at this revision (default: the one just read).")
        Integer ifRevision;

        @Override
        public Integer call() {
            String tenant = tenant();
            JsonNode p = find(all(api(), tenant), ref);
            int revision = ifRevision != null ? ifRevision : p.path("revision").asInt();
            try {
                api().delete(AdminApi.tenantPath(tenant, "policies", p.get("id").asText()), Integer.toString(revision));
            } catch (CliException e) {
                if (e.problem() != null && e.problem().path("status").asInt() == 412) {
                    throw new CliException(ExitCodes.CONFLICT, "conflict: policy " + p.get("name").asText()
                            + " is no longer at revision " + revision + "; nothing was deleted", e.problem());
                }
                throw e;
            }
            ObjectNode result = AdminApi.JSON.createObjectNode().put("name", p.get("name").asText())
                    .put("id", p.get("id").asText()).put("action", "deleted").put("revision", revision);
            return show(result, () -> out().printf("deleted policy %s (was revision %d; id %s)%n",
                    p.get("name").asText(), revision, p.get("id").asText()));
        }
    }

    @Command(name = "revisions", description = "A policy's history, newest last.")
    static final class Revisions extends Base {
        @Parameters(paramLabel = "POLICY", description = "Name, or id (also of a deleted policy).")
        String ref;

        @Override
        public Integer call() {
            JsonNode history = history(api(), tenant(), ref);
            return show(history, () -> {
                List<List<String>> rows = new ArrayList<>();
                history.forEach(r -> rows.add(List.of(Output.text(r, "revision"), Output.text(r, "name"),
                        r.path("deleted").asBoolean() ? "deleted" : "", Output.text(r, "author"),
                        Output.text(r, "created_at"))));
                Output.table(out(), List.of("REVISION", "NAME", "DELETED", "AUTHOR", "CREATED_AT"), rows);
            });
        }
    }

    /** Restores with {@code If-Match} the latest revision read just before: a concurrent change is a conflict. */
    @Command(name = "restore", description = "Make an earlier revision current again (as a new revision).")
    static final class Restore extends Base {
        @Parameters(index = "0", paramLabel = "POLICY", description = "Name, or id (also of a deleted policy).")
        String ref;

        @Parameters(index = "1", paramLabel = "REVISION", description = "The revision to restore.")
        int revision;

        @Override
        public Integer call() {
            String tenant = tenant();
            String id = policyId(api(), tenant, ref);
            JsonNode history = api().get(AdminApi.tenantPath(tenant, "policies", id, "revisions")).body();
            int latest = 0;
            for (JsonNode r : history) {
                latest = Math.max(latest, r.path("revision").asInt());
            }
            JsonNode restored = api().postEmpty(AdminApi.tenantPath(tenant, "policies", id, "revisions",
                    Integer.toString(revision), "restore"), Integer.toString(latest)).body();
            return show(restored, () -> out().printf("restored revision %d of policy %s as revision %d%n", revision,
                    restored.path("name").asText(), restored.path("revision").asInt()));
        }
    }

    static JsonNode history(AdminApi api, String tenant, String ref) {
        return api.get(AdminApi.tenantPath(tenant, "policies", policyId(api, tenant, ref), "revisions")).body();
    }

    /** The id of a current policy by name or id; an id not among them is taken as is (a deleted policy's). */
    private static String policyId(AdminApi api, String tenant, String ref) {
        Optional<JsonNode> p = lookup(all(api, tenant), ref);
        if (p.isPresent()) {
            return p.get().get("id").asText();
        }
        if (ref.matches("[0-9a-fA-F-]{36}")) {
            return ref;
        }
        throw new CliException(ExitCodes.NOT_FOUND, "no policy " + ref + " (a deleted policy is named by its id)");
    }

    static JsonNode read(Path file) {
        try {
            byte[] bytes = file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
            return AdminApi.JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.INVALID, file + " is not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A file's documents: one object, or an array of objects ({@code what} names them in errors). */
    static List<ObjectNode> documents(JsonNode node, String file, String what) {
        List<ObjectNode> documents = new ArrayList<>();
        if (node != null && node.isObject()) {
            documents.add((ObjectNode) node);
        } else if (node != null && node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isObject()) {
                    throw new CliException(ExitCodes.INVALID, file + ": every array item must be a " + what + " object");
                }
                documents.add((ObjectNode) n);
            }
        }
        if (documents.isEmpty()) {
            throw new CliException(ExitCodes.INVALID, file + ": expected a " + what + " object or an array of them");
        }
        return documents;
    }
}
