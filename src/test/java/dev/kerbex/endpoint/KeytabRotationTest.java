package dev.kerbex.endpoint;

import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static dev.kerbex.testing.TokenRequests.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TestKeytab;
import dev.kerbex.testing.TicketForge;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** SPEC §5: a keytab replaced on disk is picked up by the running service; overlapping kvnos both verify. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class KeytabRotationTest {
    static final String NEW_PASSWORD = "rotated-service-password";
    static final String[] AES = { "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96" };

    @Test
    void exchangeWhenKeytabReplacedWithNewKvnoThenBothKvnosVerifyWithoutRestart() throws Exception {
        Path keytab = TestKdc.get().serviceKeytab();
        byte[] original = Files.readAllBytes(keytab);
        try {
            exchangeKvno7().then().statusCode(400).body("error_description", equalTo(
                    "subject_token: no key for " + TestKdc.SERVICE + " kvno 7 enctype aes256-cts-hmac-sha1-96"));

            Path staged = keytab.resolveSibling("rotated.keytab");
            new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, AES)
                    .add(TestKdc.SERVICE, NEW_PASSWORD, 7, AES).write(staged);
            Files.move(staged, keytab, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            // The service looks at the file at most once a second; wait for the change, not for a time.
            int status = 0;
            for (int attempt = 0; attempt < 50 && status != 200; attempt++) {
                Thread.sleep(200);
                status = exchangeKvno7().statusCode();
            }
            assertThat(status).as("kvno 7 ticket after the keytab was replaced").isEqualTo(200);
            aliceForLedger().billing().post().then().statusCode(200);
        } finally {
            Path restore = keytab.resolveSibling("restore.keytab");
            Files.write(restore, original);
            Files.move(restore, keytab, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static io.restassured.response.Response exchangeKvno7() {
        byte[] apReq = TicketForge.forService(TestKdc.SERVICE, NEW_PASSWORD).kvno(7).apReq();
        return exchange().param("subject_token_type", AP_REQ)
                .param("subject_token", Base64.getEncoder().encodeToString(apReq))
                .param("audience", KerbexTestResource.LEDGER).billing().post();
    }
}
