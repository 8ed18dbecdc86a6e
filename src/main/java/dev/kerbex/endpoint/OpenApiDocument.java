package dev.kerbex.endpoint;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the hand-written {@code openapi.yaml} exactly as written (it is the contract, not generated): on the public
 * port, and on the management interface for the Swagger UI served there.
 */
@Path("/openapi.yaml")
@Singleton
public class OpenApiDocument {
    private final byte[] document;

    public OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the application");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces("application/yaml")
    public byte[] get() {
        return document;
    }

    void onManagement(@Observes ManagementInterface management) {
        management.router().get("/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(Buffer.buffer(document)));
    }
}
