package dev.kerbex.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kerbex.http.OversizedBodies;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * An admin request whose declared {@code Content-Length} is beyond what the HTTP layer buffers (1 MiB) would
 * otherwise get Vert.x's bare 413. It gets the admin API's RFC 9457 answer here, before any of the body is read and
 * before authentication (an oversized body says nothing about who may do what). Bodies up to 1 MiB reach the
 * resources, which refuse anything over 64 KiB with the same problem, audited.
 */
@ApplicationScoped
public class AdminOversizedBodies {
    private final String body;

    AdminOversizedBodies(ObjectMapper json) {
        try {
            this.body = json.writeValueAsString(AdminProblem.tooLarge(StrictJson.MAX_BODY_BYTES).body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void install(@Observes Router router) {
        router.route("/admin/*").order(-1000).handler(ctx -> {
            if (OversizedBodies.declaredTooLarge(ctx.request())) {
                OversizedBodies.refuse(ctx, 413, "application/problem+json", body);
                return;
            }
            ctx.next();
        });
    }
}
