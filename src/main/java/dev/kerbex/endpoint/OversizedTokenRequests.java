package dev.kerbex.endpoint;

import dev.kerbex.http.OversizedBodies;
import dev.kerbex.protocol.FormBody;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A token request whose declared {@code Content-Length} is beyond what the HTTP layer buffers (1 MiB) would
 * otherwise get Vert.x's bare 413. It is answered here, before any of the body is read, in the token
 * endpoint's format (SPEC §4). It cannot be audited (no blocking work on the event loop); smaller bodies
 * over 64 KiB reach the exchange and are audited refusals. A chunked body with no length still meets 413.
 */
@ApplicationScoped
public class OversizedTokenRequests {
    /** The token, introspection and revocation endpoints all answer in RFC 6749 §5.2 JSON. */
    private static final java.util.regex.Pattern OAUTH2_POST =
            java.util.regex.Pattern.compile("/oauth2/(token|introspect|revoke)$");
    private static final String BODY = "{\"error\":\"invalid_request\",\"error_description\":\"request body exceeds "
            + FormBody.MAX_BYTES + " bytes\"}";

    void install(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            if (ctx.request().method() == HttpMethod.POST && OAUTH2_POST.matcher(ctx.request().path()).find()
                    && OversizedBodies.declaredTooLarge(ctx.request())) {
                ctx.response().putHeader("Pragma", "no-cache");
                OversizedBodies.refuse(ctx, 400, "application/json", BODY);
                return;
            }
            ctx.next();
        });
    }
}
