package dev.kerbex.admin;

import static dev.kerbex.admin.AdminApiTest.as;
import static dev.kerbex.admin.AdminApiTest.createPolicy;
import static dev.kerbex.admin.AdminApiTest.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.store.ChangeFeed;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.KerbexTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Every committed admin write announces its tenant on {@code kerbex_changes} (what the other replicas' change feeds
 * hear); refused writes announce nothing. {@code ReplicaChangeFeedIT} shows a second replica acting on it.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class AdminChangeNotificationsTest {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    ChangeFeed feed;

    @Test
    void adminWritesWhenCommittedThenTenantAnnouncedAndRefusedWritesAnnounceNothing() throws Exception {
        String admin = AdminTokens.admin();
        String t = newTenant();
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + ChangeFeed.CHANNEL);
            }
            try {
                String id = createPolicy(t, "announced").then().statusCode(201).extract().path("id");
                String path = "/admin/v1/tenants/" + t + "/policies/" + id;
                assertThat(received(c, 1)).containsExactly(t);

                as(admin).header("If-Match", "\"7\"").body(AdminApiTest.ANY_POLICY.formatted("announced")).put(path)
                        .then().statusCode(412);
                as(admin).body("{\"name\": 1}").post("/admin/v1/tenants/" + t + "/policies").then().statusCode(400);
                assertThat(received(c, 0)).as("refused writes").isEmpty();

                as(admin).header("If-Match", "\"1\"").body(AdminApiTest.ANY_POLICY.formatted("announced")).put(path)
                        .then().statusCode(200);
                as(admin).body("{\"client_id\": \"announced\"}").post("/admin/v1/tenants/" + t + "/clients").then()
                        .statusCode(201);
                as(admin).post("/admin/v1/tenants/" + t + "/keys/rotate").then().statusCode(201);
                assertThat(received(c, 3)).containsExactly(t, t, t);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            }
        }
        assertThat(feed.listening()).as("this replica's own feed").isTrue();
    }

    /** Notifications for this connection, waiting until {@code expected} arrived (or a second without more). */
    private static List<String> received(Connection c, int expected) throws Exception {
        PGConnection pg = c.unwrap(PGConnection.class);
        List<String> payloads = new ArrayList<>();
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            PGNotification[] ns = pg.getNotifications(expected == 0 ? 1000 : 200);
            if (ns != null) {
                for (PGNotification n : ns) {
                    payloads.add(n.getParameter());
                }
            }
            if (expected == 0 || payloads.size() >= expected) {
                break;
            }
        }
        return payloads;
    }
}
