package dev.kerbex.exchange;

import dev.kerbex.protocol.TokenType;
import java.util.Set;

/** Mints what a permitted exchange asked for (STYLE 8: JWT and Kerberos-ticket issuers are siblings). */
public interface TokenIssuer {

    Set<TokenType> issues();

    IssuedToken issue(ExchangeContext context);

    /**
     * {@code token} goes to the client only; {@code jti}, {@code expiresAt} and {@code note} (what was issued, for
     * whom, never the token) go to the audit trail.
     */
    record IssuedToken(String token, TokenType type, String tokenType, long expiresIn, String jti,
            java.time.Instant expiresAt, String note) {

        public IssuedToken(String token, TokenType type, String tokenType, long expiresIn, String jti,
                java.time.Instant expiresAt) {
            this(token, type, tokenType, expiresIn, jti, expiresAt, null);
        }
    }
}
