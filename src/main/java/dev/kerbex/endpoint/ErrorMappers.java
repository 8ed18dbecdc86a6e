package dev.kerbex.endpoint;

import dev.kerbex.exchange.TokenExchange.UnknownTenantException;
import dev.kerbex.protocol.ErrorResponse;
import dev.kerbex.protocol.FormBody;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.store.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns failures into HTTP (STYLE 3). OAuth errors are RFC 6749 §5.2 JSON with the status
 * fixed by their code; nothing ever carries a stack trace to the client.
 */
public final class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final Pattern TOKEN_PATH = Pattern.compile("/?tenants/[^/]+/oauth2/(token|introspect|revoke)/?");

    @ServerExceptionMapper
    public Response oauth(OAuthException e) {
        Response.ResponseBuilder r = Response.status(e.code().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(e))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache");
        if (e.code() == OAuthErrorCode.INVALID_CLIENT) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"kerbex\", charset=\"UTF-8\"");
        } else if (e.code() == OAuthErrorCode.NEGOTIATE) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Negotiate");
        } else if (e.code() == OAuthErrorCode.RATE_LIMITED) {
            r.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (e.dpopNonce() != null) {
            r.header("DPoP-Nonce", e.dpopNonce());
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e) {
        LOG.warnf("database unavailable: %s", e.getMessage());
        return oauth(new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                "service temporarily unavailable, retry later"));
    }

    @ServerExceptionMapper
    public Response unknownTenant(UnknownTenantException e) {
        // Thrown by the token endpoint only, where every response is no-store (SPEC §4).
        return Response.fromResponse(problem(Response.Status.NOT_FOUND, "Not Found", "no such tenant"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        Response.StatusType status = r.getStatusInfo();
        if (request != null && TOKEN_PATH.matcher(request.getUriInfo().getPath()).matches()) {
            // SPEC §4: the token endpoint answers in RFC 6749 §5.2 JSON with no-store, also when Quarkus REST
            // refuses the request before the endpoint runs (it answers a bare 400 to an unparsable Content-Type).
            if (status.getStatusCode() == Response.Status.BAD_REQUEST.getStatusCode()) {
                return oauth(new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                        TokenEndpoint.isForm(request.getHeaderString(HttpHeaders.CONTENT_TYPE))
                                ? "request: malformed" : FormBody.NOT_FORM));
            }
            return Response.fromResponse(problem(status, status.getReasonPhrase(), null))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        return problem(status, status.getReasonPhrase(), null);
    }

    /** A bug, never a client's doing: logged in full here, a bare 500 for the client. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String unavailable = databaseUnavailable(e);
        if (unavailable != null) {
            // The pool ran dry or the database went away below a path that does not wrap it (issue 10): a fault of
            // the environment, not a bug, so 503 and one WARN line, not an ERROR with a stack trace.
            LOG.warnf("database unavailable: %s", unavailable);
            return oauth(new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "service temporarily unavailable, retry later"));
        }
        LOG.error("unexpected failure", e);
        return Response.serverError().type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "server_error", "error_description", "internal error; see the server log"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * The message of an SQL failure in {@code e}'s causes that says the database cannot be reached now (a
     * connection-class SQLSTATE {@code 08…}, a transient connection failure, or Agroal's acquisition timeout), else null.
     */
    static String databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || (t instanceof java.sql.SQLException sql && ((sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                            || String.valueOf(sql.getMessage()).contains("acquisition timeout")))) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return null;
    }

    static Response problem(Response.StatusType status, String title, String detail) {
        Map<String, Object> body = detail == null
                ? Map.of("type", "about:blank", "title", title, "status", status.getStatusCode())
                : Map.of("type", "about:blank", "title", title, "status", status.getStatusCode(), "detail", detail);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }
}
