package dev.kerbex.endpoint;

import static dev.kerbex.endpoint.JwtSubjectExchangeTest.aliceForReports;
import static dev.kerbex.endpoint.JwtSubjectExchangeTest.reportsApi;
import static dev.kerbex.testing.KerbexTestResource.ARCHIVE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.store.TenantChanged;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reuse of a subject token's verification in the running service (jwt/VerifiedJwts, unit-tested in
 * VerifiedJwtsTest): the same token exchanged again is a cache hit, a change of its tenant (the CDI event the change
 * feed fires on every replica) makes the next exchange verify it afresh. Read through /q/metrics, as an operator would.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class SubjectTokenReuseTest {

    @Inject
    Event<TenantChanged> changes;

    @Test
    void exchangeWhenSameSubjectTokenAgainThenReusedUntilItsTenantChanges() {
        String token = aliceForReports("reports:read").jsonPath().getString("access_token");
        reportsApi(token, ARCHIVE).param("scope", "reports:read").post().then().statusCode(200);
        double hits = gets("hit");
        double misses = gets("miss");

        reportsApi(token, ARCHIVE).param("scope", "reports:read").post().then().statusCode(200);
        assertThat(gets("hit")).isEqualTo(hits + 1);
        assertThat(gets("miss")).isEqualTo(misses);

        changes.fire(new TenantChanged(KerbexTestResource.TENANT));

        reportsApi(token, ARCHIVE).param("scope", "reports:read").post().then().statusCode(200);
        assertThat(gets("miss")).isEqualTo(misses + 1);
        assertThat(gets("hit")).isEqualTo(hits + 1);
    }

    private static double gets(String result) {
        String metrics = dev.kerbex.testing.ManagementPort.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^cache_gets_total\\{[^}]*cache=\"kerbex.verified_jwts\"[^}]*result=\"" + result
                + "\"[^}]*} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("cache_gets_total of kerbex.verified_jwts, result " + result).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
