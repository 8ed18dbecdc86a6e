package dev.kerbex.jwt;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Signs RFC 9068 access tokens ({@code typ: at+jwt}) with a tenant's current key. */
@ApplicationScoped
public class AccessTokenMinter {
    private final SigningKeys keys;

    public AccessTokenMinter(SigningKeys keys) {
        this.keys = keys;
    }

    /** {@code claims} must already hold every registered claim (iss, sub, aud, exp, iat, nbf, jti...). */
    public String sign(String tenantId, Map<String, Object> claims) {
        SigningKeys.SigningKey key = keys.current(tenantId);
        return Jwt.claims(claims)
                .jws()
                .keyId(key.kid())
                .algorithm(SignatureAlgorithm.fromAlgorithm(key.algorithm()))
                .header("typ", "at+jwt")
                .sign(key.privateKey());
    }
}
