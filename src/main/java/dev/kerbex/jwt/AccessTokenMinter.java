package dev.kerbex.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Signs RFC 9068 access tokens ({@code typ: at+jwt}) with a tenant's current key, through jose4j directly: the
 * key comes decoded from {@link SigningKeys}' cache and nothing is looked up per token but the claims, so the
 * cost of a token is its signature (smallrye-jwt's builder read MicroProfile Config on every token).
 */
@ApplicationScoped
public class AccessTokenMinter {
    static final String TYPE = "at+jwt";

    private final SigningKeys keys;

    public AccessTokenMinter(SigningKeys keys) {
        this.keys = keys;
    }

    /** {@code claims} must already hold every registered claim (iss, sub, aud, exp, iat, nbf, jti...). */
    public String sign(String tenantId, Map<String, Object> claims) {
        return sign(keys.current(tenantId), claims);
    }

    /** Signs with {@code key}; public for the benchmarks. */
    public static String sign(SigningKeys.SigningKey key, Map<String, Object> claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(key.algorithm());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", TYPE);
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setKey(key.privateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign with key " + key.kid(), e);
        }
    }
}
