package dev.kerbex.endpoint;

import dev.kerbex.exchange.DpopVerifier;
import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.exchange.TokenExchange;
import dev.kerbex.protocol.TokenResponse;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code POST /tenants/{t}/oauth2/token}: RFC 8693 token exchange. Thin: parsing and deciding live below. */
@Path("/tenants/{tenant}/oauth2/token")
public class TokenEndpoint {
    private final TokenExchange exchange;

    public TokenEndpoint(TokenExchange exchange) {
        this.exchange = exchange;
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

    /** Takes the raw body so that repeated parameters, bad encodings and the 64 KiB bound are ours to judge. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("tenant") String tenant, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context ContainerRequestContext ctx, @Context HttpServerRequest http) {
        // Header names are case-insensitive (HTTP/2 sends them in lower case): ask Vert.x, whose map honours that.
        List<String> dpop = http.headers().getAll(DpopVerifier.HEADER);
        ExchangeInput input = new ExchangeInput(tenant, isForm(contentType), body == null ? new byte[0] : body,
                authorization, RequestIds.sourceAddress(http), RequestIds.of(ctx), dpop, ClientCertificates.of(http));
        TokenResponse response = exchange.exchange(input);
        return Response.ok(response, MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .build();
    }
}
