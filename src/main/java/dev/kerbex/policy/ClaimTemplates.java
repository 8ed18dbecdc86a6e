package dev.kerbex.policy;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ${name}} templates of policy grants (SPEC §7: extra claims, the subject claim, the
 * Kerberos user principal of SPEC §6).
 *
 * <p>{@code ${name}} is replaced by the variable {@code name} (e.g. {@code principal}, {@code realm},
 * {@code client_id} or a claim of the subject token); {@code $${} stands for a literal {@code ${};
 * any other {@code $} is literal. A variable that is not available is an error rather than an empty
 * string: an issued claim or a Kerberos principal silently missing a part is worse than a refusal.
 * The validator cannot know which subject claims will exist, so {@link #variables} only checks the
 * syntax and the caller decides what an unknown name means.
 */
public final class ClaimTemplates {

    /** SPEC §5a: the variable that holds the subject's group names, a list rather than a string. */
    public static final String GROUPS = "groups";
    /** The only template {@code ${groups}} may appear in: a claim that is the JSON array of the names. */
    public static final String GROUPS_TEMPLATE = "${groups}";

    private ClaimTemplates() {
    }

    /**
     * The variable names a template refers to, in order of first appearance.
     *
     * @throws IllegalArgumentException when a {@code ${} is not closed or names nothing
     */
    public static Set<String> variables(String template) {
        Set<String> names = new LinkedHashSet<>();
        scan(template, null, names);
        return names;
    }

    /**
     * Renders a template; values are rendered with {@link String#valueOf(Object)}.
     *
     * @throws IllegalArgumentException on a syntax error, or listing every variable that is absent
     *                                  from {@code variables} (or mapped to {@code null})
     */
    public static String render(String template, Map<String, ?> variables) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        Set<String> unknown = new LinkedHashSet<>();
        scan(template, variables, unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown template variable" + (unknown.size() > 1 ? "s" : "")
                    + ": " + String.join(", ", unknown));
        }
        scan(template, variables, out);
        return out.toString();
    }

    /** Collects variable names (those not in {@code variables}, or all when it is null). */
    private static void scan(String template, Map<String, ?> variables, Set<String> names) {
        walk(template, (name, literal) -> {
            if (name != null && (variables == null || variables.get(name) == null)) {
                names.add(name);
            }
        });
    }

    private static void scan(String template, Map<String, ?> variables, StringBuilder out) {
        walk(template, (name, literal) -> out.append(name == null ? literal : String.valueOf(variables.get(name))));
    }

    private interface Sink {
        /** Either a variable {@code name} or a piece of {@code literal} text. */
        void accept(String name, String literal);
    }

    private static void walk(String t, Sink sink) {
        int i = 0;
        int textStart = 0;
        while (i < t.length()) {
            if (t.startsWith("$${", i)) {
                sink.accept(null, t.substring(textStart, i));
                sink.accept(null, "${");
                i += 3;
                textStart = i;
            } else if (t.startsWith("${", i)) {
                int end = t.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("'${' at position " + i + " is not closed by '}'");
                }
                String name = t.substring(i + 2, end);
                if (name.isBlank()) {
                    throw new IllegalArgumentException("'${}' at position " + i + " names no variable");
                }
                if (name.indexOf('$') >= 0 || name.indexOf('{') >= 0) {
                    // Templates do not nest; "${a${b}}" is a mistake, not a variable named "a${b".
                    throw new IllegalArgumentException("'${' at position " + i + " is not closed before '"
                            + (name.indexOf('$') >= 0 ? '$' : '{') + "'");
                }
                sink.accept(null, t.substring(textStart, i));
                sink.accept(name, null);
                i = end + 1;
                textStart = i;
            } else {
                i++;
            }
        }
        sink.accept(null, t.substring(textStart));
    }
}
