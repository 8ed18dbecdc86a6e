package dev.kerbex.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.exchange.DpopVerifier;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.exchange.TokenExchange;
import dev.kerbex.observability.LogContext;
import dev.kerbex.observability.Traces;
import dev.kerbex.protocol.TokenResponse;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /tenants/{t}/oauth2/token}: RFC 8693 token exchange. Thin: parsing and deciding live below.
 *
 * <p>A plain Vert.x route, not a Quarkus REST resource: this is the one endpoint on every caller's request path, and
 * the REST layer's per-request work (its handler chain, request context, response filters and message-body writers)
 * was about a tenth of a forward-path exchange's CPU (bench/README.md). The body arrives read by {@link HttpHardening}
 * (on the event loop, bounded, with an idle timeout); the exchange runs on a worker thread; failures are answered by
 * {@link ErrorMappers#answer(Throwable)}, the same mapping the REST endpoints use.
 */
@ApplicationScoped
public class TokenEndpoint {
    static final String PATH = "/tenants/:tenant/oauth2/token";
    private static final Pattern PATH_PATTERN = Pattern.compile("^/tenants/[^/]+/oauth2/token/?$");

    private final TokenExchange exchange;
    private final ObjectMapper json;

    public TokenEndpoint(TokenExchange exchange, ObjectMapper json) {
        this.exchange = exchange;
        this.json = json;
    }

    void install(@Observes Router router) {
        // After the HTTP layer's checks and body reading (negative orders) and before Quarkus REST (ROUTE_ORDER_DEFAULT).
        router.route(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).blockingHandler(this::handle, false);
    }

    /** True for a request this route answers (its body is read by {@link HttpHardening} on every HTTP version). */
    static boolean handles(String path) {
        return path != null && PATH_PATTERN.matcher(path).matches();
    }

    /** True for a Content-Type that parses and is form-urlencoded; an unparsable one is a client error, not a 500. */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(MediaType.valueOf(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest http = ctx.request();
        if (http.method() != HttpMethod.POST) {
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
            HttpHardening.refuse(ctx, 405, HttpHardening.describe(405));
            return;
        }
        String requestId = RequestIds.idFor(http.getHeader(RequestIds.HEADER));
        // What RequestIds' filters do for the REST resources: the ids in the log context, the request id on the span.
        LogContext.requestId(requestId);
        Traces.tagRequest(requestId);
        LogContext.tenant(RequestIds.tenantOf(http.path()));
        try {
            Buffer body = ctx.body().buffer();
            // Header names are case-insensitive (HTTP/2 sends them in lower case): Vert.x's map honours that.
            List<String> dpop = http.headers().getAll(DpopVerifier.HEADER);
            ExchangeInput input = new ExchangeInput(ctx.pathParam("tenant"), isForm(http.getHeader(HttpHeaders.CONTENT_TYPE)),
                    body == null ? new byte[0] : body.getBytes(), http.getHeader(HttpHeaders.AUTHORIZATION),
                    RequestIds.sourceAddress(http), requestId, dpop, ClientCertificates.of(http));
            TokenResponse response = exchange.exchange(input);
            answer(ctx, requestId, 200, MediaType.APPLICATION_JSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader("Pragma", "no-cache")
                    .end(write(response));
        } catch (RuntimeException | Error e) {
            ErrorMappers.Answer a = ErrorMappers.answer(e);
            HttpServerResponse response = answer(ctx, requestId, a.status(), a.contentType());
            a.headers().forEach(response::putHeader);
            response.end(write(a.body()));
        } finally {
            LogContext.clear();
        }
    }

    private static HttpServerResponse answer(RoutingContext ctx, String requestId, int status, String contentType) {
        return ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(RequestIds.HEADER, requestId);
    }

    private Buffer write(Object body) {
        try {
            return Buffer.buffer(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the token endpoint's answer", e);
        }
    }
}
