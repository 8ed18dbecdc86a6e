package dev.kerbex.exchange;

import java.util.List;

/**
 * A token request as it arrived, before any checking: whether the body is declared form-encoded, the raw
 * body, the {@code Authorization} header (Basic or Negotiate), the {@code DPoP} headers (RFC 9449; usually none
 * or one) and where it came from. The body is decoded inside the exchange so that even a malformed one is an
 * audited refusal.
 */
public record ExchangeInput(String tenantId, boolean formEncoded, byte[] body, String authorization,
        String sourceAddress, String requestId, List<String> dpopProofs) {

    public ExchangeInput {
        dpopProofs = dpopProofs == null ? List.of() : List.copyOf(dpopProofs);
    }

    /** A request without DPoP proofs. */
    public ExchangeInput(String tenantId, boolean formEncoded, byte[] body, String authorization, String sourceAddress,
            String requestId) {
        this(tenantId, formEncoded, body, authorization, sourceAddress, requestId, List.of());
    }
}
