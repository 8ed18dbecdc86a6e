package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Clients and trusted issuers carry their version only in the {@code ETag} of a single read (openapi.yaml, "If-Match"):
 * {@code get} shows it as a {@code version} member, as {@code policies get} shows {@code revision}, and {@code update},
 * {@code apply} and {@code delete} send it back as {@code If-Match} — the file's {@code version} when it has one (what
 * its author read), else the version just read. A 412 becomes a conflict message (exit 5): nothing is overwritten.
 */
final class Versioned {
    private Versioned() {
    }

    /** The resource at {@code path} with its version (from the {@code ETag}) as a {@code version} member. */
    static ObjectNode read(AdminApi api, String path) {
        AdminApi.Answer a = api.get(path);
        ObjectNode n = a.body().deepCopy();
        if (a.etag() != null) {
            n.put("version", a.etag());
        }
        return n;
    }

    /** The writable members only: without {@code version} and the members {@code readOnly} names. */
    static ObjectNode writable(JsonNode document, List<String> readOnly) {
        ObjectNode n = document.deepCopy();
        n.remove("version");
        n.remove(readOnly);
        return n;
    }

    /** The document's {@code version} (a string or number), or null when it has none. */
    static String version(JsonNode document) {
        JsonNode v = document.path("version");
        return v.isTextual() || v.isNumber() ? v.asText() : null;
    }

    static AdminApi.Answer put(AdminApi api, String path, JsonNode body, String ifMatch, String what) {
        try {
            return api.put(path, body, ifMatch);
        } catch (CliException e) {
            throw conflict(e, what, ifMatch, "nothing was written");
        }
    }

    static void delete(AdminApi api, String path, String ifMatch, String what) {
        try {
            api.delete(path, ifMatch);
        } catch (CliException e) {
            throw conflict(e, what, ifMatch, "nothing was deleted");
        }
    }

    private static CliException conflict(CliException e, String what, String ifMatch, String outcome) {
        if (e.problem() != null && e.problem().path("status").asInt() == 412) {
            return new CliException(ExitCodes.CONFLICT, "conflict: " + what + " is no longer at version " + ifMatch
                    + " (changed by someone else); " + outcome + ". Read it again (get -o json), redo the edit and"
                    + " retry.", e.problem());
        }
        return e;
    }
}
