package dev.kerbex.tenant;

import dev.kerbex.jose.JwsAlgorithms;
import java.util.List;
import java.util.Set;

/**
 * An external issuer whose JWTs a tenant accepts as subject or actor tokens (SPEC §3): its {@code iss}, where its
 * keys are published, and the signature algorithms its tokens may use.
 */
public record TrustedIssuer(String issuer, String jwksUri, Set<String> algorithms) {
    /** When the declaration names none. */
    public static final Set<String> DEFAULT_ALGORITHMS = JwsAlgorithms.TRUSTED_ISSUER_DEFAULT;
    /** What a declaration may name: asymmetric signatures only, never {@code none} nor HMAC. */
    public static final Set<String> PERMITTED_ALGORITHMS = JwsAlgorithms.TRUSTED_ISSUER_DECLARABLE;

    public TrustedIssuer {
        algorithms = Set.copyOf(algorithms);
    }

    /** The declared algorithms that are permitted (others are ignored), or the default when none are declared. */
    public static TrustedIssuer of(String issuer, String jwksUri, List<String> algorithms) {
        Set<String> algs = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS
                : Set.copyOf(algorithms.stream().filter(a -> a != null && PERMITTED_ALGORITHMS.contains(a)).toList());
        return new TrustedIssuer(issuer, jwksUri, algs);
    }
}
