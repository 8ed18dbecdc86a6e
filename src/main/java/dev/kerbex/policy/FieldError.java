package dev.kerbex.policy;

/**
 * One invalid field of a policy: an RFC 6901 JSON pointer into the policy's JSON form (the names
 * of SPEC §12, e.g. {@code /match/audiences/0}) and what is wrong with it. The admin API lists these
 * in its RFC 9457 problem; the declarative-file loader prefixes the pointer with the policy's place
 * in the file.
 */
public record FieldError(String pointer, String message) {
}
