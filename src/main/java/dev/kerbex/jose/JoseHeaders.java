package dev.kerbex.jose;

import java.util.List;
import org.jose4j.jws.JsonWebSignature;

/**
 * jose4j reads string header members with a plain cast: {@code {"alg": 5}} would throw a ClassCastException
 * from {@code getAlgorithmHeaderValue()} — a 500 for a client's malformed token. {@link JwsToken#parse} checks this
 * before anything reads the header.
 */
final class JoseHeaders {
    private static final List<String> STRING_MEMBERS = List.of("alg", "kid", "typ", "cty", "jku", "x5u");

    private JoseHeaders() {
    }

    /** True when every header member that must be a string (RFC 7515 §4.1) is one, or absent. */
    static boolean wellTyped(JsonWebSignature jws) {
        for (String name : STRING_MEMBERS) {
            Object v = jws.getHeaders().getObjectHeaderValue(name);
            if (v != null && !(v instanceof String)) {
                return false;
            }
        }
        return true;
    }
}
