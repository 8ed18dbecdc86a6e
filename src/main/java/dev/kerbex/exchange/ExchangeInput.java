package dev.kerbex.exchange;

import java.util.List;
import java.util.Map;

/**
 * A token request as it arrived, before any checking: the decoded form, the {@code Authorization} header
 * (Basic or Negotiate) and where it came from.
 */
public record ExchangeInput(String tenantId, Map<String, List<String>> form, String authorization, String sourceAddress,
        String requestId) {
}
