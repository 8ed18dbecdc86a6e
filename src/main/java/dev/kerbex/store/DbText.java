package dev.kerbex.store;

import java.util.regex.Pattern;

/**
 * The one cleaning rule for text written to PostgreSQL from what callers sent (audit rows, revision authors):
 * bounded, and without NUL characters, which PostgreSQL text cannot hold (each becomes U+FFFD). A reason quoting a
 * client's claim value (a NUL in {@code htm}) or an admin caller's name must be recorded, not turn the answer into
 * a 503.
 */
public final class DbText {
    /** {@code \u0000} preceded by an even number of backslashes (zero included): an escaped NUL. */
    private static final Pattern JSON_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private DbText() {
    }

    public static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

    /**
     * The same rule inside a JSON document: jsonb refuses the escape {@code \u0000} that JSON writers use for a
     * NUL, so each becomes {@code \ufffd}; an escaped backslash followed by {@code u0000} is text and stays.
     */
    public static String cleanJson(String json) {
        return json == null || !json.contains("\\u0000") ? json : JSON_NUL.matcher(json).replaceAll("$1\\\\ufffd");
    }
}
