package dev.kerbex.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last-resort mapper: a database that cannot be reached is 503, never a 500 with a stack trace in the log. */
class ErrorMappersTest {
    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void unexpectedWhenPoolAcquisitionTimesOutBelowHibernateThenTemporarilyUnavailable() {
        RuntimeException wrapped = new IllegalStateException("could not execute statement",
                new RuntimeException("JDBC", new SQLException("Sorry, acquisition timeout!")));

        Response r = mappers.unexpected(wrapped);

        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-store");
        assertThat(r.getEntity().toString()).contains("temporarily_unavailable")
                .contains("service temporarily unavailable, retry later");
    }

    @Test
    void unexpectedWhenConnectionLostThenTemporarilyUnavailable() {
        Response r = mappers.unexpected(new RuntimeException(new SQLException("connection refused", "08001")));

        assertThat(r.getStatus()).isEqualTo(503);
    }

    @Test
    void unexpectedWhenABugThenServerError() {
        Response r = mappers.unexpected(new RuntimeException(new SQLException("syntax error", "42601")));

        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getEntity()).isEqualTo(
                Map.of("error", "server_error", "error_description", "internal error; see the server log"));
    }
}
