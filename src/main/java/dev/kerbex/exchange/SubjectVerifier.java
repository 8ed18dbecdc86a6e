package dev.kerbex.exchange;

import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import java.util.Set;

/** Verifies subject and actor tokens of some types (STYLE 6: chosen by token type, one result shape). */
public interface SubjectVerifier {

    Set<TokenType> types();

    /**
     * @param type    the declared type, one of {@link #types()} (aliases already normalised)
     * @param context the tenant, the authenticated client (if any) and the parameter name, which prefixes
     *                every error description
     * @throws OAuthException {@code invalid_request} naming the parameter and the cause, never the token
     */
    VerifiedSubject verify(String token, TokenType type, VerificationContext context);
}
