package dev.kerbex.policy;

/** What a matching policy does (SPEC §7): a matching {@code DENY} always wins over any {@code ALLOW}. */
public enum Effect {
    ALLOW,
    DENY
}
