package dev.kerbex.jose;

/** What {@link JwsToken#parse} returns: the token, or a {@link Refusal} ({@code TOO_LONG} or {@code MALFORMED}). */
public sealed interface ParsedJws permits JwsToken, Refusal {
}
