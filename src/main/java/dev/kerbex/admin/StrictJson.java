package dev.kerbex.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kerbex.policy.FieldError;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads admin request bodies strictly: the body is bounded, must be one JSON object without duplicate members,
 * and is checked against the shape of the target record before binding — every unknown member and every value of
 * the wrong JSON type is reported with its pointer, instead of Jackson's first failure or a silent coercion.
 */
final class StrictJson {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                .maxStringLength(MAX_BODY_BYTES).build());
    }

    private StrictJson() {
    }

    /**
     * The body, read up to one byte more than the limit: a larger body is never read in full (so it never meets the
     * HTTP layer's 1 MiB limit, which would answer a bare 413), and {@link #read(byte[], Class)} refuses it with the
     * problem 413. Resources call this first, so a body within the limit is consumed whatever they answer.
     */
    static byte[] bytes(java.io.InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            return body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (java.io.IOException e) {
            throw AdminProblem.invalid(List.of(new FieldError("", "unreadable body")));
        }
    }

    /** @throws AdminProblem 413 for an oversized body, 400 listing every structural error */
    static <T extends Record> T read(byte[] body, Class<T> type) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw AdminProblem.tooLarge(MAX_BODY_BYTES);
        }
        JsonNode tree;
        try {
            tree = body == null || body.length == 0 ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw AdminProblem.invalid(List.of(new FieldError("", "not well-formed JSON (or a duplicate member)")));
        } catch (java.io.IOException e) {
            throw AdminProblem.invalid(List.of(new FieldError("", "unreadable body")));
        }
        if (tree == null || !tree.isObject()) {
            throw AdminProblem.invalid(List.of(new FieldError("", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        check(tree, type, "", errors);
        if (!errors.isEmpty()) {
            throw AdminProblem.invalid(errors);
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            // The shape check above should make this unreachable; never leak Jackson's message.
            throw AdminProblem.invalid(List.of(new FieldError("", "does not match the expected shape")));
        }
    }

    private static void check(JsonNode node, Type type, String pointer, List<FieldError> errors) {
        if (node.isNull()) {
            return; // the record's own validation says whether a null is allowed here
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            if (expect(node.isTextual(), "must be a string", pointer, errors)) {
                // PostgreSQL's text and jsonb cannot hold NUL: refused here rather than failing at the insert.
                expect(node.textValue().indexOf('\u0000') < 0, "must not contain NUL characters", pointer, errors);
            }
        } else if (raw == Integer.class || raw == int.class) {
            expect(node.isIntegralNumber() && node.canConvertToInt(), "must be an integer", pointer, errors);
        } else if (raw == Boolean.class || raw == boolean.class) {
            expect(node.isBoolean(), "must be true or false", pointer, errors);
        } else if (raw == List.class) {
            if (expect(node.isArray(), "must be an array", pointer, errors)) {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), element, pointer + "/" + i, errors);
                }
            }
        } else if (raw == Map.class) {
            if (expect(node.isObject(), "must be an object", pointer, errors)) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                node.fields().forEachRemaining(f -> {
                    String member = pointer + "/" + escape(f.getKey());
                    if (expect(f.getKey().indexOf('\u0000') < 0, "member names must not contain NUL characters", member,
                            errors)) {
                        check(f.getValue(), value, member, errors);
                    }
                });
            }
        } else if (raw == Object.class) {
            // any JSON value (a client's JWK Set members): the record's own validation judges it
        } else if (raw.isRecord()) {
            if (expect(node.isObject(), "must be an object", pointer, errors)) {
                Map<String, Type> members = new java.util.HashMap<>();
                for (RecordComponent c : raw.getRecordComponents()) {
                    members.put(SNAKE.translate(c.getName()), c.getGenericType());
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> f = it.next();
                    Type member = members.get(f.getKey());
                    if (member == null) {
                        errors.add(new FieldError(pointer + "/" + escape(f.getKey()), "unknown member"));
                    } else {
                        check(f.getValue(), member, pointer + "/" + escape(f.getKey()), errors);
                    }
                }
            }
        } else {
            throw new IllegalStateException("no shape check for " + raw);
        }
    }

    private static boolean expect(boolean ok, String message, String pointer, List<FieldError> errors) {
        if (!ok) {
            errors.add(new FieldError(pointer, message));
        }
        return ok;
    }

    /** RFC 6901 §3; a NUL is written as backslash-u0000 (pointers go to the audit trail, which cannot hold one). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1").replace("\u0000", "\\u0000");
    }
}
