package dev.kerbex.exchange;

import dev.kerbex.protocol.OAuthException;
import java.util.List;

/** Verifies the DPoP proof of a token request (RFC 9449); the use case's port, implemented in jwt/. */
public interface DpopVerifier {
    /** The request header that carries the proof. */
    String HEADER = "DPoP";

    /**
     * @param proofs the values of the request's {@code DPoP} headers (one is expected)
     * @param method the request's method
     * @param url    the endpoint's URL under {@code kerbex.public-url}
     * @param scope  what the proof's {@code jti} is unique within (the tenant)
     * @return the RFC 7638 SHA-256 thumbprint (base64url) of the proof's key, for {@code cnf.jkt}
     * @throws OAuthException {@code invalid_dpop_proof} naming the cause, never the proof
     */
    String verify(List<String> proofs, String method, String url, String scope);
}
