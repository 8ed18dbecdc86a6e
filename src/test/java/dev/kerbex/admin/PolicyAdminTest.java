package dev.kerbex.admin;

import static dev.kerbex.admin.AdminFakes.ADMIN;
import static dev.kerbex.admin.AdminFakes.NOW;
import static dev.kerbex.admin.AdminFakes.TENANT;
import static dev.kerbex.admin.AdminFakes.VIEWER;
import static dev.kerbex.admin.AdminFakes.body;
import static dev.kerbex.admin.AdminFakes.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kerbex.audit.AuditEvent;
import dev.kerbex.policy.FieldError;
import dev.kerbex.representation.PolicyRepresentation;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PolicyAdmin} on its own (no Quarkus, no database): the write script over fakes of the policy and client
 * repositories and of the audit, transaction and change ports. Each case asserts the answer or the problem (status
 * and every field error), what is stored, and the audit row written — for a change and for a refusal.
 */
class PolicyAdminTest {
    static final String POLICY = """
            {"name": "%s", "effect": "allow", "priority": 10,
             "match": {"clients": ["billing"], "subjects": ["*@EXAMPLE.TEST"], "audiences": ["https://api.example.test"]},
             "grant": {"scopes": ["api:read"], "default_scopes": ["api:read"], "max_lifetime": "PT5M"}}""";

    AdminFakes fakes;
    FakePolicies store;
    PolicyAdmin policies;

    @BeforeEach
    void wire() {
        fakes = new AdminFakes();
        store = new FakePolicies(fakes.json, NOW);
        FakeClients clients = new FakeClients(NOW);
        clients.stored.put("billing", new dev.kerbex.store.ClientRepository.StoredClient("billing", true, null,
                List.of(), List.of("https://api.example.test"), null, NOW, NOW, 0, null, null, null));
        policies = new PolicyAdmin(fakes.support, fakes.writes, store, clients, fakes.json);
    }

    Tagged<PolicyRepresentation> created(String name) {
        Tagged<PolicyRepresentation> t = policies.create(ADMIN, TENANT, body(POLICY.formatted(name)));
        fakes.clearSeen();
        return t;
    }

    @Test
    void createWhenValidThenRevisionOneStoredAuditedAnnouncedAndCacheDropped() {
        Tagged<PolicyRepresentation> t = policies.create(ADMIN, TENANT, body(POLICY.formatted("reads")));

        assertThat(t.version()).isEqualTo(1);
        assertThat(t.body().revision()).isEqualTo(1);
        assertThat(t.body().name()).isEqualTo("reads");
        UUID id = UUID.fromString(t.body().id());
        assertThat(store.current.get(id).document()).doesNotContain("\"id\"").contains("\"reads\"");
        assertThat(store.history.get(id)).singleElement().satisfies(r -> {
            assertThat(r.revision()).isEqualTo(1);
            assertThat(r.author()).isEqualTo("root");
        });
        AuditEvent row = fakes.onlyRow();
        assertThat(row.kind()).isEqualTo("admin");
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        assertThat(row.reason()).isEqualTo("create policy reads");
        assertThat(row.occurredAt()).isEqualTo(NOW);
        assertThat(row.tenantId()).isEqualTo(TENANT);
        assertThat(row.actor()).isEqualTo("root");
        assertThat(row.requestId()).isEqualTo("req-1");
        assertThat(row.sourceAddress()).isEqualTo("192.0.2.7");
        assertThat(row.policyId()).isEqualTo(id);
        assertThat(row.policyRevision()).isEqualTo(1);
        JsonNode d = fakes.details(row);
        assertThat(d.path("action").asText()).isEqualTo("create");
        assertThat(d.path("resource").asText()).isEqualTo("policy");
        assertThat(d.path("after").path("grant").path("scopes").get(0).asText()).isEqualTo("api:read");
        assertThat(fakes.announced).containsExactly(TENANT);
        assertThat(fakes.dropped).containsExactly(TENANT);
    }

    @Test
    void createWhenSeveralFieldsInvalidThenEachListedNothingStoredAndRefusalAudited() {
        created("taken");

        AdminProblem p = refusal(() -> policies.create(ADMIN, TENANT, body("""
                {"id": "chosen", "name": "taken", "effect": "maybe",
                 "match": {"clients": ["ghost"], "audiences": ["https://api.example.test"]},
                 "grant": {"max_lifetime": "ten minutes"}}""")));

        assertThat(p.status()).isEqualTo(400);
        assertThat(p.body().detail()).isEqualTo(p.errors().size() + " invalid fields");
        assertThat(p.errors()).contains(new FieldError("/id", "assigned by the server; leave it out"),
                new FieldError("/match/clients/0", "unknown client"),
                new FieldError("/name", "a policy of this name exists in the tenant"));
        assertThat(p.errors()).extracting(FieldError::pointer).contains("/effect", "/grant/max_lifetime");
        assertThat(store.current).hasSize(1);
        AuditEvent row = fakes.onlyRow();
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(row.reason()).isEqualTo("create policy refused");
        JsonNode d = fakes.details(row);
        assertThat(d.path("status").asInt()).isEqualTo(400);
        assertThat(d.path("errors").findValuesAsText("pointer")).contains("/id", "/effect", "/match/clients/0",
                "/name", "/grant/max_lifetime");
        assertThat(fakes.announced).isEmpty();
        assertThat(fakes.dropped).isEmpty();
    }

    @Test
    void createWhenConcurrentWriterTakesTheNameAtCommitThenNameConflictAndOnlyTheRefusalAudited() {
        fakes.uniqueViolationAtCommit = true;

        AdminProblem p = refusal(() -> policies.create(ADMIN, TENANT, body(POLICY.formatted("raced"))));

        assertThat(p.status()).isEqualTo(400);
        assertThat(p.errors()).containsExactly(new FieldError("/name", "a policy of this name exists in the tenant"));
        AuditEvent row = fakes.onlyRow(); // the success row rolled back with the write
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(row.reason()).isEqualTo("create policy refused");
        assertThat(fakes.announced).isEmpty();
        assertThat(fakes.dropped).isEmpty();
    }

    @Test
    void updateWhenIfMatchMissingThen428AndRefusalAuditedWithThePolicy() {
        Tagged<PolicyRepresentation> t = created("reads");

        AdminProblem p = refusal(() -> policies.update(ADMIN, TENANT, t.body().id(), null,
                body(POLICY.formatted("renamed"))));

        assertThat(p.status()).isEqualTo(428);
        assertThat(p.body().detail()).isEqualTo("If-Match is required: send the ETag of the version you read");
        assertThat(store.current.get(UUID.fromString(t.body().id())).name()).isEqualTo("reads");
        AuditEvent row = fakes.onlyRow();
        assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(row.reason()).isEqualTo("update policy refused");
        assertThat(row.policyId()).isEqualTo(UUID.fromString(t.body().id()));
        assertThat(fakes.details(row).path("status").asInt()).isEqualTo(428);
    }

    @Test
    void updateWhenIfMatchStaleThen412AndNothingChanged() {
        Tagged<PolicyRepresentation> t = created("reads");

        AdminProblem p = refusal(() -> policies.update(ADMIN, TENANT, t.body().id(), "\"2\", W/\"1\"",
                body(POLICY.formatted("renamed"))));

        assertThat(p.status()).isEqualTo(412);
        assertThat(p.body().detail()).isEqualTo("If-Match does not match the current version; read it again");
        assertThat(store.history.get(UUID.fromString(t.body().id()))).hasSize(1);
        assertThat(fakes.onlyRow().reason()).isEqualTo("update policy refused");
        assertThat(fakes.announced).isEmpty();
    }

    @Test
    void updateWhenCurrentThenNextRevisionWithBeforeAndAfterAudited() {
        Tagged<PolicyRepresentation> t = created("reads");

        Tagged<PolicyRepresentation> u = policies.update(ADMIN, TENANT, t.body().id(), "\"1\"",
                body(POLICY.formatted("renamed")));

        assertThat(u.version()).isEqualTo(2);
        assertThat(u.body().name()).isEqualTo("renamed");
        AuditEvent row = fakes.onlyRow();
        assertThat(row.reason()).isEqualTo("update policy renamed");
        assertThat(row.policyRevision()).isEqualTo(2);
        JsonNode d = fakes.details(row);
        assertThat(d.path("before").path("name").asText()).isEqualTo("reads");
        assertThat(d.path("after").path("name").asText()).isEqualTo("renamed");
        assertThat(fakes.dropped).containsExactly(TENANT);
    }

    @Test
    void updateWhenNameOfAnotherPolicyThen400NameTaken() {
        created("first");
        Tagged<PolicyRepresentation> second = created("second");

        AdminProblem p = refusal(() -> policies.update(ADMIN, TENANT, second.body().id(), "\"1\"",
                body(POLICY.formatted("first"))));

        assertThat(p.status()).isEqualTo(400);
        assertThat(p.errors()).containsExactly(new FieldError("/name", "a policy of this name exists in the tenant"));
        assertThat(fakes.onlyRow().outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
    }

    @Test
    void deleteWhenIfMatchCurrentThenGoneHistoryClosedAndAudited() {
        Tagged<PolicyRepresentation> t = created("reads");
        UUID id = UUID.fromString(t.body().id());

        policies.delete(ADMIN, TENANT, t.body().id(), "\"1\"");

        assertThat(refusal(() -> policies.get(ADMIN.caller(), TENANT, t.body().id())).status()).isEqualTo(404);
        assertThat(policies.revisions(ADMIN.caller(), TENANT, t.body().id()))
                .extracting(PolicyAdmin.RevisionRepresentation::revision, PolicyAdmin.RevisionRepresentation::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, false), org.assertj.core.groups.Tuple.tuple(2, true));
        AuditEvent row = fakes.onlyRow();
        assertThat(row.reason()).isEqualTo("delete policy reads");
        assertThat(row.policyId()).isEqualTo(id);
        assertThat(row.policyRevision()).isEqualTo(2);
        assertThat(fakes.details(row).path("before").path("name").asText()).isEqualTo("reads");
        assertThat(fakes.announced).containsExactly(TENANT);
    }

    @Test
    void deleteWhenUnknownIdThen404AndNotAudited() {
        AdminProblem p = refusal(() -> {
            policies.delete(ADMIN, TENANT, "not-a-uuid", "\"1\"");
            return null;
        });

        assertThat(p.status()).isEqualTo(404);
        assertThat(fakes.audit).isEmpty();
    }

    @Test
    void writeWhenViewerThen403AndWhenUnknownTenantThen404() {
        assertThat(refusal(() -> policies.create(VIEWER, TENANT, body(POLICY.formatted("x")))).body().detail())
                .isEqualTo("read-only access to this tenant");
        assertThat(refusal(() -> policies.create(ADMIN, "ghost", body(POLICY.formatted("x")))).status())
                .isEqualTo(404);
        assertThat(store.current).isEmpty();
    }

    @Test
    void restoreWhenRevisionRecordsTheDeletionThen409Audited() {
        Tagged<PolicyRepresentation> t = created("reads");
        policies.delete(ADMIN, TENANT, t.body().id(), "\"1\"");
        fakes.audit.clear();

        AdminProblem p = refusal(() -> policies.restore(ADMIN, TENANT, t.body().id(), "2", "\"2\""));

        assertThat(p.status()).isEqualTo(409);
        assertThat(p.body().detail()).isEqualTo("revision 2 records the deletion; restore an earlier revision");
        assertThat(fakes.onlyRow().reason()).isEqualTo("restore policy refused");

        Tagged<PolicyRepresentation> back = policies.restore(ADMIN, TENANT, t.body().id(), "1", "\"2\"");
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.body().id()).isEqualTo(t.body().id());
        assertThat(fakes.audit.get(1).reason()).isEqualTo("restore revision 1 of policy reads");
    }
}
