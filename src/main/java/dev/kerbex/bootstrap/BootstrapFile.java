package dev.kerbex.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.TenantRepresentation;
import dev.kerbex.representation.TenantValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the declarative tenants file (SPEC §12): JSON, {@code ${env:NAME}} replaced in string values (after
 * parsing, so a value can never change the document's structure), unknown fields refused, every problem
 * reported with its JSON pointer.
 */
public final class BootstrapFile {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    /** The file is unusable; the message names the file, each JSON pointer and its problem. */
    public static final class InvalidFileException extends RuntimeException {
        InvalidFileException(Path file, List<FieldError> errors) {
            super("kerbex.bootstrap-file " + file + " is invalid:" + errors.stream()
                    .map(e -> "\n  " + (e.pointer().isEmpty() ? "/" : e.pointer()) + ": " + e.message())
                    .reduce("", String::concat));
        }
    }

    public record Tenants(List<TenantRepresentation> tenants) {
    }

    private BootstrapFile() {
    }

    /**
     * @param env environment lookup ({@code System::getenv} in production)
     * @param storedClients stored client ids of a tenant, so policies may name clients not in the file
     */
    public static List<TenantRepresentation> read(Path file, ObjectMapper json, Function<String, String> env,
            Function<String, Set<String>> storedClients) {
        ObjectMapper strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        JsonNode tree;
        try {
            tree = strict.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new InvalidFileException(file, List.of(new FieldError("", "not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidFileException(file, List.of(new FieldError("", "cannot be read: " + e.getMessage())));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidFileException(file, List.of(new FieldError("", "must be a JSON object with a \"tenants\" array")));
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode substituted = substitute(tree, "", env, errors);
        if (!errors.isEmpty()) {
            throw new InvalidFileException(file, errors);
        }
        Tenants parsed;
        try {
            parsed = strict.treeToValue(substituted, Tenants.class);
        } catch (JsonMappingException e) {
            throw new InvalidFileException(file, List.of(new FieldError(pointer(e.getPath()), problem(e))));
        } catch (JsonProcessingException e) {
            throw new InvalidFileException(file, List.of(new FieldError("", e.getOriginalMessage())));
        }
        if (parsed.tenants() == null) {
            throw new InvalidFileException(file, List.of(new FieldError("/tenants", "required")));
        }
        for (int i = 0; i < parsed.tenants().size(); i++) {
            TenantRepresentation t = parsed.tenants().get(i);
            if (t == null) {
                errors.add(new FieldError("/tenants/" + i, "must be an object"));
                continue;
            }
            for (FieldError e : TenantValidator.validate(t, t.id() == null ? Set.of() : storedClients.apply(t.id()))) {
                errors.add(new FieldError("/tenants/" + i + e.pointer(), e.message()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFileException(file, errors);
        }
        return parsed.tenants();
    }

    private static JsonNode substitute(JsonNode node, String pointer, Function<String, String> env, List<FieldError> errors) {
        if (node.isTextual()) {
            return TextNode.valueOf(replaceEnv(node.textValue(), pointer, env, errors));
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(substitute(node.get(i), pointer + "/" + i, env, errors));
            }
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), substitute(f.getValue(), pointer + "/" + escape(f.getKey()), env, errors));
            }
            return out;
        }
        return node;
    }

    private static String replaceEnv(String value, String pointer, Function<String, String> env, List<FieldError> errors) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                errors.add(new FieldError(pointer, "environment variable " + m.group(1) + " is not set"));
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            p.append('/').append(r.getFieldName() != null ? escape(r.getFieldName()) : Integer.toString(r.getIndex()));
        }
        return p.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown field \"" + u.getPropertyName() + "\"";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi && mi.getTargetType() != null) {
            return "wrong type: expected " + simpleType(mi.getTargetType());
        }
        return "invalid value";
    }

    private static String simpleType(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        return "an object";
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

}
