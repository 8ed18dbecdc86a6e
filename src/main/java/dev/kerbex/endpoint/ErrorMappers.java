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
import java.util.LinkedHashMap;
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

    /**
     * What a failure on the token path answers, for these JAX-RS mappers and the token endpoint's route alike: a
     * status, headers, a content type and a JSON body (an {@link ErrorResponse} or a problem map).
     */
    record Answer(int status, String contentType, Map<String, String> headers, Object body) {
    }

    /** The RFC 6749 §5.2 answer of an OAuth error, with the challenge or retry hint its code calls for. */
    static Answer answer(OAuthException e) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CACHE_CONTROL, "no-store");
        headers.put("Pragma", "no-cache");
        if (e.code() == OAuthErrorCode.INVALID_CLIENT) {
            headers.put(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"kerbex\", charset=\"UTF-8\"");
        } else if (e.code() == OAuthErrorCode.NEGOTIATE) {
            headers.put(HttpHeaders.WWW_AUTHENTICATE, "Negotiate");
        } else if (e.code() == OAuthErrorCode.RATE_LIMITED) {
            headers.put(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (e.dpopNonce() != null) {
            headers.put("DPoP-Nonce", e.dpopNonce());
        }
        return new Answer(e.code().status(), MediaType.APPLICATION_JSON, headers, ErrorResponse.of(e));
    }

    /**
     * The answer of any failure of the token path: OAuth errors as themselves; an unreachable database 503 with one
     * WARN line; an unknown tenant 404 problem+json (no-store: SPEC §4); anything else is a bug, logged in full here,
     * and a bare 500 for the client.
     */
    static Answer answer(Throwable e) {
        if (e instanceof OAuthException oauth) {
            return answer(oauth);
        }
        if (e instanceof UnknownTenantException) {
            return new Answer(404, "application/problem+json", Map.of(HttpHeaders.CACHE_CONTROL, "no-store"),
                    problemBody(404, "Not Found", "no such tenant"));
        }
        String unavailable = e instanceof StoreUnavailableException ? e.getMessage() : databaseUnavailable(e);
        if (unavailable != null) {
            // The pool ran dry or the database went away (issue 10): a fault of the environment, not a bug, so 503
            // and one WARN line, not an ERROR with a stack trace.
            LOG.warnf("database unavailable: %s", unavailable);
            return answer(new OAuthException(OAuthErrorCode.TEMPORARILY_UNAVAILABLE,
                    "service temporarily unavailable, retry later"));
        }
        LOG.error("unexpected failure", e);
        return new Answer(500, MediaType.APPLICATION_JSON, Map.of(HttpHeaders.CACHE_CONTROL, "no-store"),
                Map.of("error", "server_error", "error_description", "internal error; see the server log"));
    }

    private static Response response(Answer a) {
        Response.ResponseBuilder r = Response.status(a.status()).type(a.contentType()).entity(a.body());
        a.headers().forEach(r::header);
        return r.build();
    }

    @ServerExceptionMapper
    public Response oauth(OAuthException e) {
        return response(answer(e));
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e) {
        return response(answer(e));
    }

    @ServerExceptionMapper
    public Response unknownTenant(UnknownTenantException e) {
        return response(answer(e));
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

    /** A bug, never a client's doing (or an unreachable database): see {@link #answer(Throwable)}. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return response(answer(e));
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
        return Response.status(status).type("application/problem+json")
                .entity(problemBody(status.getStatusCode(), title, detail)).build();
    }

    private static Map<String, Object> problemBody(int status, String title, String detail) {
        return detail == null
                ? Map.of("type", "about:blank", "title", title, "status", status)
                : Map.of("type", "about:blank", "title", title, "status", status, "detail", detail);
    }
}
