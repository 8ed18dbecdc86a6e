package dev.kerbex.jwt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;

/**
 * Signs RFC 9068 access tokens ({@code typ: at+jwt}) with a tenant's current key. The key comes decoded from
 * {@link SigningKeys}' cache with its protected header already encoded ({@link #protectedHeader}), so a token costs
 * one JSON serialisation of its claims (Jackson), one signature (the first JCA provider: ACCP where it loads) and two
 * base64url encodings (the JDK's). Before, jose4j's {@code JsonWebSignature} re-serialised the header, used its own
 * JSON writer and a slow bundled base64 codec on every token: about a tenth of the forward path's CPU (bench/README.md).
 * Verification stays with jose4j ({@code jose/}); what this writes is a plain JWS compact serialisation (RFC 7515 §7.1).
 */
@ApplicationScoped
public class AccessTokenMinter {
    static final String TYPE = "at+jwt";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

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
        try {
            String signingInput = key.protectedHeader() + '.' + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance(jcaAlgorithm(key.algorithm()));
            signer.initSign(key.privateKey());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            byte[] signature = signer.sign();
            return signingInput + '.' + BASE64URL.encodeToString(joseSignature(key.algorithm(), signature));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims are not serialisable as JSON", e);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign with key " + key.kid(), e);
        }
    }

    /** The base64url-encoded protected header of access tokens signed with a key: {@code alg}, {@code kid}, {@code typ}. */
    static String protectedHeader(String kid, String algorithm) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm);
        header.put("kid", kid);
        header.put("typ", TYPE);
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(header));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jcaAlgorithm(String jwsAlgorithm) {
        return switch (jwsAlgorithm) {
            case "ES256" -> "SHA256withECDSA";
            case "ES384" -> "SHA384withECDSA";
            case "RS256" -> "SHA256withRSA";
            default -> throw new IllegalStateException("no signer for " + jwsAlgorithm);
        };
    }

    /** JCA's ECDSA signatures are DER; JWS wants R || S at the curve's size (RFC 7518 §3.4). RSA's are as they are. */
    private static byte[] joseSignature(String jwsAlgorithm, byte[] jca) throws IOException {
        return switch (jwsAlgorithm) {
            case "ES256" -> EcdsaUsingShaAlgorithm.convertDerToConcatenated(jca, 64);
            case "ES384" -> EcdsaUsingShaAlgorithm.convertDerToConcatenated(jca, 96);
            default -> jca;
        };
    }
}
