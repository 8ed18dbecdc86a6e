package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.createPolicy;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static dev.kerbex.admin.AdminApiTest.problem;
import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /admin/v1/tenants/{t}/audit-events}: filters, cursor paging, tenant isolation, bad parameters. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminAuditEventsTest {

    static String events(String tenant) {
        return "/admin/v1/tenants/" + tenant + "/audit-events";
    }

    @Test
    void auditEventsWhenPagedThenEveryEventOnceNewestFirst() {
        String t = newTenant(); // one admin event
        for (int i = 0; i < 6; i++) {
            createPolicy(t, "p" + i).then().statusCode(201);
        }
        String viewer = AdminTokens.token("v", "tenant-viewer:" + t);
        List<Map<String, Object>> all = as(viewer).get(events(t) + "?limit=500").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath().getList("events");
        assertThat(all).hasSize(7);
        assertThat(as(viewer).get(events(t)).jsonPath().getString("next_cursor")).isNull();

        List<Object> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = as(viewer).queryParam("limit", 3)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor)).get(events(t)).then()
                    .statusCode(200).extract().jsonPath();
            List<Object> ids = page.getList("events.id");
            assertThat(ids.size()).isLessThanOrEqualTo(3);
            paged.addAll(ids);
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyElementsOf(all.stream().map(e -> e.get("id")).toList());

        List<Instant> times = all.stream().map(e -> Instant.parse((String) e.get("occurred_at"))).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.get(all.size() - 1)).containsEntry("kind", "admin").containsEntry("actor", "root-admin");
        assertThat(((Map<?, ?>) all.get(all.size() - 1).get("details")).get("action")).isEqualTo("create");
    }

    /** One cleaning rule for every audit row and revision author: a NUL becomes U+FFFD, the change is made. */
    @Test
    void policyWriteWhenAdminNameHoldsNulThenRecordedWithReplacementCharacter() {
        String t = newTenant();
        String nul = AdminTokens.token("eve\u0000admin", "tenant-admin:" + t);
        String id = as(nul).body(AdminApiTest.ANY_POLICY.formatted("nul-author")).post("/admin/v1/tenants/" + t + "/policies")
                .then().statusCode(201).extract().jsonPath().getString("id");
        as(nul).body("{\"name\": 1}").post("/admin/v1/tenants/" + t + "/policies").then().statusCode(400);
        String admin = AdminTokens.admin();
        assertThat(as(admin).get("/admin/v1/tenants/" + t + "/policies/" + id + "/revisions").jsonPath()
                .getString("[0].author")).isEqualTo("eve\uFFFDadmin");
        List<Map<String, Object>> events = as(admin).get(events(t) + "?limit=10").jsonPath().getList("events");
        assertThat(events).extracting(e -> e.get("outcome") + " " + e.get("actor"))
                .containsExactly("failure eve\uFFFDadmin", "success eve\uFFFDadmin", "success root-admin");
    }

    @Test
    @SuppressWarnings("unchecked")
    void auditEventsWhenFilteredThenOnlyMatchingEvents() {
        String t = newTenant();
        createPolicy(t, "ok").then().statusCode(201);
        as(AdminTokens.admin()).body("{\"name\": 1}").post("/admin/v1/tenants/" + t + "/policies").then().statusCode(400);
        String admin = AdminTokens.admin();

        List<String> failures = as(admin).get(events(t) + "?outcome=failure").jsonPath().getList("events.outcome");
        assertThat(failures).containsExactly("failure");
        assertThat(as(admin).get(events(t) + "?outcome=success").jsonPath().getList("events")).hasSize(2);
        assertThat(as(admin).get(events(t) + "?kind=token_exchange").jsonPath().getList("events")).isEmpty();
        assertThat(as(admin).get(events(t) + "?kind=admin").jsonPath().getList("events")).hasSize(3);

        List<String> times = as(admin).get(events(t)).jsonPath().getList("events.occurred_at");
        Instant newest = Instant.parse(times.get(0));
        Instant oldest = Instant.parse(times.get(times.size() - 1));
        assertThat(as(admin).queryParam("from", newest.plusMillis(1).toString()).get(events(t)).jsonPath()
                .getList("events")).isEmpty();
        assertThat(as(admin).queryParam("to", oldest.toString()).get(events(t)).jsonPath().getList("events")).isEmpty();
        assertThat(as(admin).queryParam("from", oldest.toString()).queryParam("to", newest.plusMillis(1).toString())
                .get(events(t)).jsonPath().getList("events")).hasSize(3);
        assertThat(as(admin).queryParam("from", newest.toString()).get(events(t)).jsonPath().getList("events"))
                .hasSizeGreaterThanOrEqualTo(1);

        // token exchange events: client, subject and audience filters
        aliceForLedger().billing().post().then().statusCode(200);
        JsonPath latest = as(admin).get(events("acme") + "?kind=token_exchange&client_id=billing&audience="
                + KerbexTestResource.LEDGER + "&outcome=issued&limit=1").jsonPath();
        assertThat(latest.getString("events[0].client_id")).isEqualTo("billing");
        assertThat(latest.getList("events[0].audiences")).contains(KerbexTestResource.LEDGER);
        assertThat(latest.getString("events[0].jti")).isNotBlank();
        String subject = latest.getString("events[0].subject");
        assertThat(subject).isNotBlank();
        List<Map<String, Object>> bySubject = as(admin).queryParam("subject", subject).queryParam("limit", 100)
                .get(events("acme")).jsonPath().getList("events");
        assertThat(bySubject).isNotEmpty().allSatisfy(e -> assertThat(e).containsEntry("subject", subject));
        List<Map<String, Object>> byAudience = as(admin).queryParam("audience", KerbexTestResource.PAYROLL)
                .queryParam("limit", 100).get(events("acme")).jsonPath().getList("events");
        assertThat(byAudience).allSatisfy(e -> assertThat((List<Object>) e.get("audiences")).contains((Object) KerbexTestResource.PAYROLL));
        assertThat(as(admin).get(events("acme") + "?client_id=no-such-client").jsonPath().getList("events")).isEmpty();
    }

    @Test
    void auditEventsWhenOtherTenantThen404AndNeverMixed() {
        String t = newTenant();
        String mine = AdminTokens.token("mine", "tenant-admin:" + t);
        problem(as(mine).get(events("acme")), 404);
        problem(as(AdminTokens.token("acme-viewer", "tenant-viewer:acme")).get(events(t)), 404);
        problem(as(AdminTokens.admin()).get(events("nosuch")), 404);
        aliceForLedger().billing().post().then().statusCode(200);
        assertThat(as(mine).get(events(t) + "?client_id=billing").jsonPath().getList("events")).isEmpty();
        List<String> kinds = as(mine).get(events(t) + "?limit=500").jsonPath().getList("events.kind");
        assertThat(kinds).containsOnly("admin");
        // a cursor of acme's trail does not open it from another tenant
        String acmeCursor = as(AdminTokens.admin()).get(events("acme") + "?limit=1").jsonPath().getString("next_cursor");
        assertThat(acmeCursor).isNotNull();
        List<Object> ids = new ArrayList<>(as(mine).queryParam("cursor", acmeCursor).get(events(t)).jsonPath()
                .getList("events.id"));
        assertThat(new HashSet<>(ids)).isSubsetOf(new HashSet<>(as(mine).get(events(t) + "?limit=500").jsonPath()
                .getList("events.id")));
    }

    @Test
    void auditEventsWhenBadParametersThen400ProblemNamingThem() {
        String admin = AdminTokens.admin();
        String base = events("acme");
        Map<String, String> bad = Map.of("from", "yesterday", "to", "2026-13-01T00:00:00Z", "outcome", "ok", "kind",
                "tokens", "limit", "501", "cursor", "not-a-cursor!");
        bad.forEach((name, value) -> {
            JsonPath p = problem(as(admin).queryParam(name, value).get(base), 400);
            assertThat(p.getString("type")).isEqualTo("urn:kerbex:problem:invalid-parameter");
            assertThat(p.getString("detail")).startsWith(name + ":");
        });
        problem(as(admin).queryParam("limit", "0").get(base), 400);
        problem(as(admin).queryParam("limit", "ten").get(base), 400);
        problem(as(admin).queryParam("cursor", java.util.Base64.getUrlEncoder().encodeToString("x|y".getBytes()))
                .get(base), 400);
        problem(as(admin).queryParam("subject", "x".repeat(1025)).get(base), 400);
        JsonPath both = problem(as(admin).queryParam("limit", "-1").queryParam("outcome", "x").get(base), 400);
        assertThat(both.getString("detail")).contains("outcome:").contains("limit:");
    }
}
