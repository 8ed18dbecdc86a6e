package dev.kerbex.bench;

import dev.kerbex.kerberos.ApReqVerifier;
import dev.kerbex.kerberos.KerberosIdentity;
import dev.kerbex.kerberos.KeytabKeys;
import dev.kerbex.kerberos.VerificationSettings;
import dev.kerbex.policy.Decision;
import dev.kerbex.policy.Effect;
import dev.kerbex.policy.ExchangeFacts;
import dev.kerbex.policy.Policy;
import dev.kerbex.policy.PolicyEvaluator;
import dev.kerbex.policy.PolicyGrant;
import dev.kerbex.policy.PolicyMatch;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU work of one forward-path token request, step by step: AP-REQ verification (Kerby decode, two
 * AES decryptions, checks), the policy decision, and ES256 signing of the access token. The database
 * round trips (replay insert, audit insert) are not in here; see bench/README.md for the whole request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForwardPathBenchmark {
    private ApReqVerifier verifier;
    private VerificationSettings settings;
    private byte[] apReq;
    private PolicyEvaluator evaluator;
    private List<Policy> policies;
    private ExchangeFacts facts;
    private KeyPair es256;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("kerbex-bench");
        Path keytab = new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96")
                .write(dir.resolve("bench.keytab"));
        // Every token counts as fresh: the replay cache is PostgreSQL's job and measured with the service.
        verifier = new ApReqVerifier(new KeytabKeys(List.of(keytab), Clock.systemUTC()), (key, expiry) -> true,
                Clock.systemUTC());
        settings = VerificationSettings.of(Set.of(TestKdc.SERVICE), Set.of(TestKdc.REALM));
        apReq = TicketForge.gssWrap(TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD).apReq());

        evaluator = new PolicyEvaluator();
        policies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            policies.add(new Policy(UUID.randomUUID().toString(), 1, "policy-" + i, i == 49 ? Effect.ALLOW : Effect.ALLOW,
                    100 + i,
                    new PolicyMatch(List.of("client-" + i), List.of(TokenType.KERBEROS_AP_REQ), List.of("*@EXAMPLE.TEST"),
                            null, List.of("https://api-" + i + ".example.test"), null, null, null, null),
                    new PolicyGrant(List.of("read", "write"), List.of("read"), Duration.ofMinutes(10), Map.of(), null,
                            null, null, false, false)));
        }
        facts = new ExchangeFacts("client-49", TokenType.KERBEROS_AP_REQ, "alice@EXAMPLE.TEST", null,
                List.of("https://api-49.example.test"), List.of(), TokenType.ACCESS_TOKEN, Set.of("read"), null, null,
                null, Instant.now().plus(Duration.ofHours(8)), Duration.ofHours(1), null);

        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        es256 = gen.generateKeyPair();
    }

    @Benchmark
    public KerberosIdentity verifyApReq() throws Exception {
        return verifier.verify(apReq, settings);
    }

    @Benchmark
    public Decision decideAmong50Policies() {
        return evaluator.decide(facts, policies, Instant.now());
    }

    @Benchmark
    public String signAccessTokenEs256() {
        Map<String, Object> claims = CryptoProviderBenchmark.claims();
        return Jwt.claims(claims).jws().keyId("bench").algorithm(SignatureAlgorithm.ES256).header("typ", "at+jwt")
                .sign(es256.getPrivate());
    }
}
