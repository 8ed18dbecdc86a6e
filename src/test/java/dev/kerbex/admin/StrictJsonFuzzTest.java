package dev.kerbex.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kerbex.representation.ClientRepresentation;
import dev.kerbex.representation.PolicyMapping;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TenantRepresentation;
import java.util.Arrays;

/**
 * Issue 10 fuzzing: the admin API's JSON reader, and for policies the mapping and validation that runs on what it
 * read. The contract: a body is read or refused with an {@link AdminProblem} (400 with field errors, or 413);
 * nothing else escapes. The first byte picks the target record (0 policy, 1 tenant,
 * 2 client, 3 evaluate, 4 trusted issuer, modulo 5), the rest is the body.
 */
class StrictJsonFuzzTest {

    private static final Class<?>[] TARGETS = {PolicyRepresentation.class, TenantRepresentation.class,
        ClientRepresentation.class, EvaluateAdmin.EvaluateRequest.class, TrustedIssuerAdmin.TrustedIssuerWrite.class};

    @FuzzTest(maxDuration = "5m")
    void readAdminBody(byte[] data) {
        if (data.length == 0) {
            return;
        }
        Class<?> target = TARGETS[(data[0] & 0xff) % TARGETS.length];
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        Record read;
        try {
            read = StrictJson.read(body, target.asSubclass(Record.class));
        } catch (AdminProblem e) {
            assertThat(e.status()).isIn(400, 413);
            return;
        }
        assertThat(read).isInstanceOf(target);
        if (read instanceof PolicyRepresentation policy) {
            PolicyMapping.Result result = PolicyMapping.toPolicy(policy, "p-1", 1);
            assertThat(result.policy() == null).isEqualTo(!result.errors().isEmpty());
        }
    }
}
