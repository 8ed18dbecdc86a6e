package dev.kerbex.exchange;

import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.tenant.Tenant;
import java.util.Set;

/** Verifies subject and actor tokens of some types (STYLE 6: chosen by token type, one result shape). */
public interface SubjectVerifier {

    Set<TokenType> types();

    /**
     * @param parameter {@code subject_token} or {@code actor_token}: the prefix of every error description
     * @throws OAuthException {@code invalid_request} naming the parameter and the cause, never the token
     */
    VerifiedSubject verify(String token, TokenType type, Tenant tenant, String parameter);
}
