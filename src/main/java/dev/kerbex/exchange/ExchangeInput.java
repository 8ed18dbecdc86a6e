package dev.kerbex.exchange;

/**
 * A token request as it arrived, before any checking: whether the body is declared form-encoded, the raw
 * body, the {@code Authorization} header (Basic or Negotiate) and where it came from. The body is decoded
 * inside the exchange so that even a malformed one is an audited refusal.
 */
public record ExchangeInput(String tenantId, boolean formEncoded, byte[] body, String authorization,
        String sourceAddress, String requestId) {
}
