package dev.kerbex.policy;

import java.util.Arrays;

/**
 * A compiled glob for subjects, audiences, resources and actors (SPEC §7).
 *
 * <p>{@code *} matches any run of characters, including {@code /}, {@code @} and {@code .} — so
 * {@code *@CORP.EXAMPLE} matches {@code svc/host@CORP.EXAMPLE}; {@code ?} matches exactly one
 * character (one Unicode code point); {@code \} makes the next character literal; everything else
 * is literal and case-sensitive (Kerberos principals and URLs are case-sensitive).
 *
 * <p>Matching does not use {@code java.util.regex}: a regex engine backtracks exponentially on
 * patterns such as {@code *a*a*a*a*a*b}, and policies are evaluated on every token request with
 * attacker-chosen input. The matcher below only ever resumes from the most recent {@code *}, which
 * is sound because a {@code *} absorbs whatever an earlier one would have; it runs in
 * O(|input| × |pattern|) time, and patterns are at most {@value #MAX_LENGTH} characters.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Glob {

    /** Longest accepted pattern; bounds the matching cost per input character. */
    public static final int MAX_LENGTH = 512;

    private static final int STAR = -1;
    private static final int ONE = -2;

    private final String pattern;
    /** Code points, or {@link #STAR} / {@link #ONE}; consecutive stars are collapsed into one. */
    private final int[] tokens;
    /** The unescaped pattern when it has no wildcard, so matching is a plain comparison. */
    private final String literal;

    private Glob(String pattern, int[] tokens, String literal) {
        this.pattern = pattern;
        this.tokens = tokens;
        this.literal = literal;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException with a message fit for a policy admin when the pattern is
     *                                  null, empty, longer than {@value #MAX_LENGTH} characters or ends
     *                                  in an unfinished escape
     */
    public static Glob compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern is empty");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern is longer than " + MAX_LENGTH + " characters");
        }
        int[] cps = pattern.codePoints().toArray();
        int[] tokens = new int[cps.length];
        int n = 0;
        boolean wildcard = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == '\\') {
                if (i + 1 == cps.length) {
                    throw new IllegalArgumentException("pattern ends with an unfinished escape '\\'");
                }
                tokens[n++] = cps[++i];
            } else if (c == '*') {
                wildcard = true;
                if (n == 0 || tokens[n - 1] != STAR) {
                    tokens[n++] = STAR;
                }
            } else if (c == '?') {
                wildcard = true;
                tokens[n++] = ONE;
            } else {
                tokens[n++] = c;
            }
        }
        int[] compiled = Arrays.copyOf(tokens, n);
        String literal = wildcard ? null : new String(compiled, 0, n);
        return new Glob(pattern, compiled, literal);
    }

    /** Whether the whole of {@code input} matches; {@code null} matches nothing. */
    public boolean matches(String input) {
        if (input == null) {
            return false;
        }
        if (literal != null) {
            return literal.equals(input);
        }
        int[] s = input.codePoints().toArray();
        int p = 0;
        int i = 0;
        int starP = -1;
        int starI = -1;
        while (i < s.length) {
            if (p < tokens.length && (tokens[p] == ONE || tokens[p] == s[i])) {
                p++;
                i++;
            } else if (p < tokens.length && tokens[p] == STAR) {
                // Let the star match nothing for now; remember where to resume if that fails.
                starP = p++;
                starI = i;
            } else if (starP >= 0) {
                // Mismatch after a star: the star absorbs one more character and we retry from there.
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] == STAR) {
            p++;
        }
        return p == tokens.length;
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
