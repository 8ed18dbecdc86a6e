package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.InMemoryReplayCache;
import dev.kerbex.testing.TestKdc;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's JDK-only way to make a subject_token: its tokens must verify like any real caller's. */
class ApReqToolTest {

    @Test
    void tokenWhenSpnegoAndKrb5ThenBothVerifyAsAlice() throws Exception {
        TestKdc kdc = GssTokens.configureJdk();
        ApReqVerifier verifier = new ApReqVerifier(new KeytabKeys(List.of(kdc.serviceKeytab()), Clock.systemUTC()),
                new InMemoryReplayCache(), Clock.systemUTC());
        VerificationSettings settings = VerificationSettings.of(Set.of(TestKdc.SERVICE), Set.of(TestKdc.REALM));

        for (String mech : List.of("1.3.6.1.5.5.2", "1.2.840.113554.1.2.2")) {
            byte[] token = ApReqTool.token(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.SERVICE, mech);
            assertThat(verifier.verify(token, settings).principal()).as(mech).isEqualTo(TestKdc.ALICE);
        }
    }
}
