package dev.kerbex.exchange;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A token request as it arrived, before any checking: whether the body is declared form-encoded, the raw
 * body, the {@code Authorization} header (Basic or Negotiate), the {@code DPoP} headers (RFC 9449; usually none
 * or one) and where it came from. The body is decoded inside the exchange so that even a malformed one is an
 * audited refusal. {@code clientCertificates} is the TLS client certificate chain of the connection, leaf first
 * (RFC 8705), null when there is none (plain HTTP, or no certificate sent).
 */
public record ExchangeInput(String tenantId, boolean formEncoded, byte[] body, String authorization,
        String sourceAddress, String requestId, List<String> dpopProofs, List<X509Certificate> clientCertificates) {

    public ExchangeInput {
        dpopProofs = dpopProofs == null ? List.of() : List.copyOf(dpopProofs);
    }

    /** A request without a TLS client certificate. */
    public ExchangeInput(String tenantId, boolean formEncoded, byte[] body, String authorization,
            String sourceAddress, String requestId, List<String> dpopProofs) {
        this(tenantId, formEncoded, body, authorization, sourceAddress, requestId, dpopProofs, null);
    }

    /** A request without DPoP proofs. */
    public ExchangeInput(String tenantId, boolean formEncoded, byte[] body, String authorization, String sourceAddress,
            String requestId) {
        this(tenantId, formEncoded, body, authorization, sourceAddress, requestId, List.of());
    }
}
