package dev.kerbex.endpoint;

import static dev.kerbex.testing.TokenRequests.aliceForLedger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: with PostgreSQL gone the token endpoint answers 503 {@code temporarily_unavailable}, never a 500
 * and never a hang. Runs against a database of its own, started by its profile's resource, so stopping it
 * leaves the JVM's shared database (and every other test class) alone; the profile makes Quarkus restart
 * for this class and again for the next class without it.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.OwnDatabase.class)
class DatabaseDownTest {

    /** The database this class stops; set by {@link OwnDatabaseResource}. */
    static volatile EmbeddedDatabase database;
    static volatile boolean stopped;

    /** Bounded waits on the client side too, so a hanging server fails the test instead of the build. */
    static final RestAssuredConfig BOUNDED = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 10_000).setParam("http.socket.timeout", 60_000));

    @Test
    void exchangeWhenDatabaseStoppedThenTemporarilyUnavailable() throws Exception {
        aliceForLedger().billing().spec().config(BOUNDED).post("/tenants/acme/oauth2/token")
                .then().statusCode(200);

        stopDatabase();
        // The tenant snapshot is cached for a second; once it is gone every request needs PostgreSQL. Ask until the
        // answer is no longer the cached tenant's (a bounded number of tries, no fixed wait past the cache).
        Response r = aliceForLedger().billing().spec().config(BOUNDED).post("/tenants/acme/oauth2/token");
        for (int attempt = 0; attempt < 100 && r.statusCode() != 503; attempt++) {
            r = aliceForLedger().billing().spec().config(BOUNDED).post("/tenants/acme/oauth2/token");
        }

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.jsonPath().getString("error")).isEqualTo("temporarily_unavailable");
        assertThat(r.jsonPath().getString("error_description")).isEqualTo("service temporarily unavailable, retry later");
        assertThat(r.header("Retry-After")).isNull();
    }

    static synchronized void stopDatabase() {
        if (database != null && !stopped) {
            stopped = true;
            database.close();
        }
    }

    /** Only {@link OwnDatabaseResource}: the global {@link KerbexTestResource} (shared database) stays out. */
    public static final class OwnDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnDatabaseResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** The usual Kerbex test environment (KDC, bootstrap file), but on a throw-away PostgreSQL of its own. */
    public static final class OwnDatabaseResource extends KerbexTestResource {
        @Override
        protected synchronized EmbeddedDatabase database() {
            database = EmbeddedDatabase.startTemporary();
            stopped = false;
            return database;
        }

        @Override
        public void stop() {
            stopDatabase();
            super.stop();
        }
    }
}
