package dev.kerbex.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.ManagementPort;
import dev.kerbex.testing.TokenRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What an operator scrapes from /q/metrics (management port) after real exchanges. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class MetricsTest {
    private static final String ISSUED = "kerbex_token_exchange_seconds_count{error=\"none\",outcome=\"issued\","
            + "path=\"kerberos_jwt\",tenant=\"acme\"}";
    private static final String REFUSED = "kerbex_token_exchange_seconds_count{error=\"invalid_request\","
            + "outcome=\"refused\",path=\"kerberos_jwt\",tenant=\"acme\"}";
    private static final String BAD_CLIENT = "kerbex_token_exchange_seconds_count{error=\"invalid_client\","
            + "outcome=\"refused\",path=\"kerberos_jwt\",tenant=\"acme\"}";
    private static final String REPLAYS = "kerbex_replay_hits_total{kind=\"krb-authn\"}";
    private static final String BCRYPT_MISMATCH = "kerbex_bcrypt_checks_seconds_count{outcome=\"mismatch\"}";

    @Test
    void exchangesWhenIssuedReplayedAndBadSecretThenHistogramReplayAndBcryptCounted() {
        String before = scrape();
        String token = GssTokens.aliceKrb5Base64();
        TokenRequests.exchange().param("subject_token_type", "urn:kerbex:token-type:kerberos-ap-req")
                .param("subject_token", token).param("audience", KerbexTestResource.LEDGER).billing().post()
                .then().statusCode(200);
        TokenRequests.exchange().param("subject_token_type", "urn:kerbex:token-type:kerberos-ap-req")
                .param("subject_token", token).param("audience", KerbexTestResource.LEDGER).billing().post()
                .then().statusCode(400);
        TokenRequests.aliceForLedger().basic(KerbexTestResource.BILLING, "not-the-billing-secret").post()
                .then().statusCode(401);
        String after = scrape();

        assertThat(value(after, ISSUED) - value(before, ISSUED)).isEqualTo(1.0);
        assertThat(value(after, REFUSED) - value(before, REFUSED)).isEqualTo(1.0);
        assertThat(value(after, BAD_CLIENT) - value(before, BAD_CLIENT)).isEqualTo(1.0);
        assertThat(value(after, REPLAYS) - value(before, REPLAYS)).isEqualTo(1.0);
        assertThat(value(after, BCRYPT_MISMATCH) - value(before, BCRYPT_MISMATCH)).isGreaterThanOrEqualTo(1.0);
        // a histogram with fixed buckets (12 and +Inf), not one series per observed value
        java.util.List<String> buckets = after.lines().filter(l -> l.startsWith("kerbex_token_exchange_seconds_bucket{"))
                .filter(l -> l.contains("error=\"none\"") && l.contains("outcome=\"issued\"")
                        && l.contains("path=\"kerberos_jwt\"") && l.contains("tenant=\"acme\""))
                .toList();
        assertThat(buckets).hasSize(13).anySatisfy(l -> assertThat(l).contains("le=\"0.005\""))
                .anySatisfy(l -> assertThat(l).contains("le=\"+Inf\""));
        // registered at start, before anything happened: dashboards see 0, not a missing series
        assertThat(after).contains("kerbex_change_feed_reconnects_total ").contains("kerbex_jwks_fetches_total{outcome=\"ok\"}")
                .contains("kerbex_jwks_fetches_total{outcome=\"failed\"}");
        // no client id, subject or address in any label
        assertThat(after).doesNotContain("alice").doesNotContain("127.0.0.1");
    }

    private static String scrape() {
        return ManagementPort.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample's value, 0 when the series does not exist yet. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
