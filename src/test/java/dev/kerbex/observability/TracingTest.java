package dev.kerbex.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.GssTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TokenRequests;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kerbex.tracing.enabled=true}, the one setting: a Kerberos exchange yields the HTTP server span and Kerbex's
 * spans for verification, policy, signing and the audit commit, plus JDBC spans, all in one trace, each with the
 * request id, and no attribute holds the subject token, the client secret or the issued token.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class TracingTest {
    public static final class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kerbex.tracing.enabled", "true", "quarkus.otel.bsp.schedule.delay", "0.05s");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void exchangeWhenTracingOnThenStepSpansCarryRequestIdAndNoSecret() throws Exception {
        String apReq = GssTokens.aliceKrb5Base64();
        Response answer = TokenRequests.exchange().param("subject_token_type", TokenRequests.AP_REQ)
                .param("subject_token", apReq).param("audience", KerbexTestResource.LEDGER).billing().spec()
                .header("X-Request-Id", "tracing-test-1").post("/tenants/acme/oauth2/token?access_token=QUERYCANARY-1");
        answer.then().statusCode(200);
        String accessToken = answer.jsonPath().getString("access_token");

        List<SpanData> trace = awaitTrace("tracing-test-1");
        assertThat(trace).extracting(SpanData::getName)
                .contains("kerbex.verify", "kerbex.policy", "kerbex.sign", "kerbex.audit.commit");
        // The audit insert runs on the group commit's writer thread: its JDBC span is a trace of its own.
        assertThat(spans.getFinishedSpanItems()).as("JDBC spans").anySatisfy(s -> {
            assertThat(s.getInstrumentationScopeInfo().getName()).contains("jdbc");
            assertThat(s.getName()).containsIgnoringCase("insert");
        });
        assertThat(trace).filteredOn(s -> s.getName().startsWith("kerbex.") || s.getKind() == SpanKind.SERVER)
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(s -> assertThat(s.getAttributes().asMap().entrySet()).anySatisfy(e -> {
                    assertThat(e.getKey().getKey()).isEqualTo(Traces.REQUEST_ID);
                    assertThat(e.getValue()).isEqualTo("tracing-test-1");
                }));
        assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.SERVER).singleElement()
                .satisfies(s -> assertThat(s.getAttributes().asMap().toString()).contains("url.query=[redacted]"));
        for (SpanData span : spans.getFinishedSpanItems()) {
            span.getAttributes().forEach((key, value) -> assertThat(String.valueOf(value)).as(span.getName() + " " + key)
                    .doesNotContain(apReq.substring(0, 40)).doesNotContain(accessToken.substring(0, 40))
                    .doesNotContain(KerbexTestResource.BILLING_SECRET).doesNotContain("QUERYCANARY"));
        }
    }

    /** Every span of the trace whose server span carries {@code requestId}, once its Kerbex spans have all ended. */
    private List<SpanData> awaitTrace(String requestId) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            List<SpanData> all = spans.getFinishedSpanItems();
            String traceId = all.stream().filter(s -> s.getKind() == SpanKind.SERVER)
                    .filter(s -> requestId.equals(s.getAttributes().asMap().entrySet().stream()
                            .filter(e -> e.getKey().getKey().equals(Traces.REQUEST_ID)).map(e -> e.getValue().toString())
                            .findFirst().orElse(null)))
                    .map(SpanData::getTraceId).findFirst().orElse(null);
            if (traceId != null) {
                return all.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no server span with request id " + requestId + " among " + spans.getFinishedSpanItems());
    }
}
