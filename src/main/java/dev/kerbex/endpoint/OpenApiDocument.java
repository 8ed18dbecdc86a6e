package dev.kerbex.endpoint;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-written {@code openapi.yaml} exactly as written (it is the contract, not generated). */
@Path("/openapi.yaml")
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
}
