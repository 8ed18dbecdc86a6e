package dev.kerbex.exchange;

import dev.kerbex.protocol.TokenType;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a verified subject or actor token proves, whatever its type. {@code principal} is a Kerberos principal
 * or a JWT {@code sub}; {@code scopes} is null when the token carries no scope restriction (Kerberos);
 * {@code act} is the token's own delegation chain (RFC 8693 §4.1), null when none; {@code claims} are the
 * variables policy templates may use; {@code directory} is what an Active Directory PAC proved (SPEC §5a), null for
 * a subject without one.
 */
public record VerifiedSubject(TokenType type, String principal, String realm, String issuer, Set<String> scopes,
        Instant expiresAt, Instant authTime, Map<String, Object> act, Set<String> mayAct, Map<String, Object> claims,
        DirectoryIdentity directory) {

    public VerifiedSubject(TokenType type, String principal, String realm, String issuer, Set<String> scopes,
            Instant expiresAt, Instant authTime, Map<String, Object> act, Set<String> mayAct, Map<String, Object> claims) {
        this(type, principal, realm, issuer, scopes, expiresAt, authTime, act, mayAct, claims, null);
    }

    public VerifiedSubject {
        claims = Map.copyOf(claims == null ? Map.of() : claims);
        scopes = scopes == null ? null : Set.copyOf(scopes);
        mayAct = mayAct == null ? null : Set.copyOf(mayAct);
    }

    public boolean isKerberos() {
        return type == TokenType.KERBEROS_AP_REQ;
    }
}
