package dev.kerbex.bench;

import dev.kerbex.crypto.CryptoProviders;
import dev.kerbex.jwt.AccessTokenMinter;
import dev.kerbex.jwt.SigningKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.JsonWebSignature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ES256 with each JCA provider setup Kerbex can run with ({@code kerbex.crypto.provider}: {@code jdk} = SunEC,
 * {@code accp} = Amazon Corretto Crypto Provider), each in its own fork: the raw signature and verification, and a
 * whole RFC 9068 access token the way Kerbex signs it now ({@link AccessTokenMinter}: Jackson, the JDK's base64url,
 * one JCA signature) and the two ways it did before (jose4j's {@code JsonWebSignature}; smallrye-jwt's builder, which
 * reads MicroProfile Config on every token).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoProviderBenchmark {
    @Param({"jdk", "accp"})
    public String provider;

    private KeyPair es256;
    private SigningKeys.SigningKey key;
    private byte[] message;
    private byte[] signature;
    private String token;

    @Setup
    public void setUp() throws Exception {
        String first = CryptoProviders.install(provider);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        es256 = gen.generateKeyPair();
        key = new SigningKeys.SigningKey("bench", "ES256", es256.getPrivate());
        message = ("eyJhbGciOiJFUzI1NiJ9." + "x".repeat(400)).getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(es256.getPrivate());
        s.update(message);
        signature = s.sign();
        token = AccessTokenMinter.sign(key, claims());
        System.out.println("# provider: " + first + ", SHA256withECDSA from " + s.getProvider().getName());
    }

    @Benchmark
    public byte[] es256Sign() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(es256.getPrivate());
        s.update(message);
        return s.sign();
    }

    @Benchmark
    public boolean es256Verify() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(es256.getPublic());
        s.update(message);
        return s.verify(signature);
    }

    @Benchmark
    public String signAccessToken() {
        return AccessTokenMinter.sign(key, claims());
    }

    @Benchmark
    public String signAccessTokenJose4j() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue("ES256");
        jws.setKeyIdHeaderValue("bench");
        jws.setHeader("typ", "at+jwt");
        jws.setPayload(org.jose4j.json.JsonUtil.toJson(claims()));
        jws.setKey(es256.getPrivate());
        return jws.getCompactSerialization();
    }

    @Benchmark
    public String signAccessTokenSmallryeBuilder() {
        return Jwt.claims(claims()).jws().keyId("bench").algorithm(SignatureAlgorithm.ES256).header("typ", "at+jwt")
                .sign(es256.getPrivate());
    }

    @Benchmark
    public boolean verifyAccessTokenJose4j() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(es256.getPublic());
        return jws.verifySignature();
    }

    /** The RFC 9068 claims of a forward-path token, as both benchmark classes sign them. */
    static Map<String, Object> claims() {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://kerbex.example.test/tenants/acme");
        claims.put("sub", "alice@EXAMPLE.TEST");
        claims.put("aud", "https://api-49.example.test");
        claims.put("exp", now + 600);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("client_id", "client-49");
        claims.put("scope", "read");
        claims.put("tenant", "acme");
        claims.put("krb_principal", "alice@EXAMPLE.TEST");
        return claims;
    }
}
