package dev.kerbex.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Human tables and JSON, the two forms of every command's output ({@code -o table|json}). */
final class Output {
    enum Format { table, json }

    private Output() {
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(AdminApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Columns padded to their widest cell; the last column is not padded. No header line when {@code headers} is null. */
    static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        table(out, headers, rows, new int[0]);
    }

    /** As above, each column at least as wide as {@code minWidths} says; answers the widths used. */
    static int[] table(PrintWriter out, List<String> headers, List<List<String>> rows, int[] minWidths) {
        List<List<String>> all = new ArrayList<>();
        if (headers != null) {
            all.add(headers);
        }
        all.addAll(rows);
        if (all.isEmpty()) {
            return minWidths;
        }
        int[] widths = Arrays.copyOf(minWidths, all.get(0).size());
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String c = cell(row, i);
                line.append(c);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - c.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        return widths;
    }

    private static String cell(List<String> row, int i) {
        return i < row.size() && row.get(i) != null ? row.get(i) : "";
    }

    /** A member as text: {@code ""} when absent, arrays joined with commas. */
    static String text(JsonNode node, String name) {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return String.join(",", items);
        }
        return v.asText();
    }

    /** The same JSON with every object's members sorted by name and null members dropped, for stable diffs. */
    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = AdminApi.JSON.createObjectNode();
            for (String name : new TreeSet<>(iterable(node))) {
                if (!node.get(name).isNull()) {
                    sorted.set(name, canonical(node.get(name)));
                }
            }
            return sorted;
        }
        if (node.isArray()) {
            var array = AdminApi.JSON.createArrayNode();
            node.forEach(n -> array.add(canonical(n)));
            return array;
        }
        return node;
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String pretty(JsonNode node) {
        try {
            return AdminApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A line diff of two texts (longest common subsequence), every line prefixed with {@code "  "}, {@code "- "}
     * (only in {@code before}) or {@code "+ "} (only in {@code after}). Policy documents are small, so the whole
     * document is shown.
     */
    static List<String> diff(String before, String after) {
        List<String> a = before.isEmpty() ? List.of() : before.lines().collect(Collectors.toList());
        List<String> b = after.isEmpty() ? List.of() : after.lines().collect(Collectors.toList());
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                lines.add("  " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add("- " + a.get(i++));
            } else {
                lines.add("+ " + b.get(j++));
            }
        }
        return lines;
    }
}
