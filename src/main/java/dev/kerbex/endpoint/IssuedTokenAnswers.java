package dev.kerbex.endpoint;

import dev.kerbex.exchange.ExchangeInput;
import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.tenant.TenantSnapshot;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What the introspection and revocation endpoints share: the tenant looked up (unknown: 404 problem+json, not audited,
 * as there is no trail to write to), the raw request handed below, where it is parsed, so that repeated parameters and
 * malformed bodies are ours to judge and audit, and every answer {@code no-store}.
 */
final class IssuedTokenAnswers {
    private IssuedTokenAnswers() {
    }

    static Response answer(TenantDirectory tenants, String tenant, byte[] body, String contentType, String authorization,
            ContainerRequestContext ctx, HttpServerRequest http,
            BiFunction<TenantSnapshot, ExchangeInput, Response.ResponseBuilder> call) {
        Optional<TenantSnapshot> snapshot = tenants.find(tenant);
        if (snapshot.isEmpty()) {
            return Response.fromResponse(ErrorMappers.problem(Response.Status.NOT_FOUND, "Not Found", "no such tenant"))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        ExchangeInput in = new ExchangeInput(tenant, TokenEndpoint.isForm(contentType), body == null ? new byte[0] : body,
                authorization, RequestIds.sourceAddress(http), RequestIds.of(ctx), List.of(),
                ClientCertificates.of(http));
        return call.apply(snapshot.get(), in).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache")
                .build();
    }
}
