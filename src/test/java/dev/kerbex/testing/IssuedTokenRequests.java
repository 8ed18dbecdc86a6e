package dev.kerbex.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Introspection (RFC 7662) and revocation (RFC 7009) requests as a client sends them, and the revocation rows. */
public final class IssuedTokenRequests {
    private IssuedTokenRequests() {
    }

    /** A form body (so that a contract filter sees it) with {@code token} and any further name/value pairs. */
    public static RequestSpecification form(String clientId, String secret, String token, String... more) {
        StringBuilder body = new StringBuilder("token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < more.length; i += 2) {
            body.append('&').append(URLEncoder.encode(more[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(more[i + 1], StandardCharsets.UTF_8));
        }
        RequestSpecification spec = given().contentType("application/x-www-form-urlencoded").body(body.toString());
        return clientId == null ? spec : spec.auth().preemptive().basic(clientId, secret);
    }

    public static Response introspect(String clientId, String secret, String token) {
        return form(clientId, secret, token).post("/tenants/acme/oauth2/introspect");
    }

    public static Response revoke(String clientId, String secret, String token) {
        return form(clientId, secret, token).post("/tenants/acme/oauth2/revoke");
    }

    /** The revoked_token row of a jti in acme, as text columns. */
    public static Optional<Map<String, Object>> revokedRow(DataSource ds, String jti) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT tenant_id, jti, client_id, expires_at FROM revoked_token WHERE tenant_id = 'acme' AND jti = ?")) {
            ps.setString(1, jti);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tenant_id", rs.getString(1));
                row.put("jti", rs.getString(2));
                row.put("client_id", rs.getString(3));
                row.put("expires_at", rs.getTimestamp(4).toInstant());
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
