package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.problem;
import static dev.kerbex.testing.TokenRequests.AP_REQ;
import static dev.kerbex.testing.TokenRequests.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.PacBuilder;
import dev.kerbex.testing.TestKdc;
import dev.kerbex.testing.TicketForge;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5a through the admin API: a tenant's {@code group_names} set by {@code PUT}, a policy matching a group by that
 * name, a ticket whose PAC carries the group exchanged at the token endpoint, and {@code evaluate} with
 * {@code subject.group_sids} answering the same.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminGroupNamesTest {
    static final String READERS_SID = PacBuilder.DOMAIN_SID + "-1105";
    static final String OTHER_SID = PacBuilder.DOMAIN_SID + "-1106";
    static final String LEDGER = "https://ledger.groups.example.test";

    String tenant;
    String clientId;
    String secret;

    /** A tenant of its own, for Kerbex's test service; a client; the readers' SID named by PUT; a policy on that name. */
    @BeforeEach
    void tenantWithGroupNamesAndAGroupPolicy() {
        String admin = AdminTokens.admin();
        tenant = "grp-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body("""
                {"id": "%s", "realms": ["EXAMPLE.TEST"], "services": ["%s"]}""".formatted(tenant, TestKdc.SERVICE))
                .post("/admin/v1/tenants").then().statusCode(201);
        as(admin).header("If-Match", "\"0\"").body("""
                {"realms": ["EXAMPLE.TEST"], "services": ["%s"], "group_names": {"%s": "ledger-readers"}}"""
                .formatted(TestKdc.SERVICE, READERS_SID))
                .put("/admin/v1/tenants/" + tenant).then().statusCode(200).header("ETag", "\"1\"");
        clientId = "gw-" + tenant;
        JsonPath client = as(admin).body("{\"client_id\": \"%s\"}".formatted(clientId))
                .post("/admin/v1/tenants/" + tenant + "/clients").then().statusCode(201).extract().jsonPath();
        secret = client.getString("client_secret");
        as(admin).body("""
                {"name": "ledger-readers", "effect": "allow", "priority": 100,
                 "match": {"clients": ["%s"], "audiences": ["%s"], "groups": ["ledger-readers"]},
                 "grant": {"scopes": ["ledger:read"], "default_scopes": ["ledger:read"],
                           "claims": {"groups": "${groups}"}}}""".formatted(clientId, LEDGER))
                .post("/admin/v1/tenants/" + tenant + "/policies").then().statusCode(201);
    }

    @Test
    void groupNamesWhenPutThenReadBackAndAPacOfTheGroupGetsTheGroupsPolicy() throws Exception {
        JsonPath read = as(AdminTokens.admin()).get("/admin/v1/tenants/" + tenant).then().statusCode(200)
                .extract().jsonPath();
        assertThat(read.getMap("group_names")).containsExactly(java.util.Map.entry(READERS_SID, "ledger-readers"));

        Response r = exchangeWithPac(new PacBuilder().groups(1105L));

        r.then().statusCode(200);
        assertThat(r.jsonPath().getString("scope")).isEqualTo("ledger:read");
        assertThat(SignedJWT.parse(r.jsonPath().getString("access_token")).getJWTClaimsSet().getStringListClaim("groups"))
                .containsExactly("ledger-readers");
    }

    @Test
    void groupNamesWhenPacLacksTheGroupThenNoPolicyMatches() {
        Response r = exchangeWithPac(new PacBuilder().groups(1106L));

        r.then().statusCode(400);
        assertThat(r.jsonPath().getString("error")).isEqualTo("invalid_request");
        assertThat(r.jsonPath().getString("error_description")).isEqualTo("subject_token: no policy permits this exchange");
    }

    @Test
    void groupNamesWhenSidIsMalformedThenProblemNamingTheEntry() {
        JsonPath p = problem(as(AdminTokens.admin()).header("If-Match", "\"1\"").body("""
                {"realms": ["EXAMPLE.TEST"], "services": ["%s"], "group_names": {"S-1-x": "readers"}}"""
                .formatted(TestKdc.SERVICE)).put("/admin/v1/tenants/" + tenant), 400);
        assertThat(p.getList("errors.pointer", String.class)).containsExactly("/group_names/S-1-x");
        assertThat(as(AdminTokens.admin()).get("/admin/v1/tenants/" + tenant).jsonPath().getMap("group_names"))
                .containsOnlyKeys(READERS_SID);
    }

    @Test
    void evaluateWhenGroupSidsOfTheGroupThenAllowAndTheDecidingGroup() {
        JsonPath dry = as(AdminTokens.token("viewer", "tenant-viewer:" + tenant)).body(dryRun(READERS_SID))
                .post("/admin/v1/tenants/" + tenant + "/evaluate").then().statusCode(200).extract().jsonPath();

        assertThat(dry.getString("decision")).isEqualTo("allow");
        assertThat(dry.getString("policy.name")).isEqualTo("ledger-readers");
        assertThat(dry.getString("scope")).isEqualTo("ledger:read");
        assertThat(dry.getList("groups", String.class)).containsExactly("ledger-readers");
        assertThat(dry.getList("policies.groups", List.class)).containsExactly(List.of("ledger-readers"));
    }

    @Test
    void evaluateWhenGroupSidsOfAnotherGroupThenDenyWithTheSameErrorAsTheTokenEndpoint() {
        JsonPath dry = as(AdminTokens.admin()).body(dryRun(OTHER_SID))
                .post("/admin/v1/tenants/" + tenant + "/evaluate").then().statusCode(200).extract().jsonPath();
        Response real = exchangeWithPac(new PacBuilder().groups(1106L));

        assertThat(dry.getString("decision")).isEqualTo("deny");
        assertThat(dry.getString("error")).isEqualTo(real.jsonPath().getString("error"));
        assertThat(dry.getString("error_description")).isEqualTo(real.jsonPath().getString("error_description"));
        assertThat(dry.getString("groups")).isNull();
        assertThat(dry.getList("policies.reason", String.class)).singleElement().asString().contains("groups");
    }

    private String dryRun(String groupSid) {
        return """
                {"client_id": "%s", "subject_token_type": "%s", "audience": ["%s"],
                 "subject": {"principal": "%s", "group_sids": ["%s"]}}"""
                .formatted(clientId, AP_REQ, LEDGER, TestKdc.ALICE, groupSid);
    }

    /** alice's ticket for Kerbex's test service with a PAC of these groups, signed with the service key. */
    private Response exchangeWithPac(PacBuilder pac) {
        byte[] apReq = TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD).client(TestKdc.ALICE).pac(pac)
                .apReq();
        return exchange().param("subject_token_type", AP_REQ)
                .param("subject_token", Base64.getEncoder().encodeToString(apReq)).param("audience", LEDGER)
                .basic(clientId, secret).post(tenant);
    }
}
