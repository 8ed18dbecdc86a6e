package dev.kerbex.admin;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The admin API's answers: never cached, a single resource tagged with its version. */
final class AdminResponses {
    private AdminResponses() {
    }

    static Response ok(Tagged<?> t) {
        return tag(Response.ok(t.body()), t.version());
    }

    static Response ok(Object body) {
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    static Response created(URI location, Tagged<?> t) {
        return tag(Response.created(location).entity(t.body()), t.version());
    }

    /** A created resource that has no version of its own (a signing key). */
    static Response created(URI location, Object body) {
        return Response.created(location).entity(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    static Response noContent() {
        return Response.noContent().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response tag(Response.ResponseBuilder r, long version) {
        return r.tag(new EntityTag(Long.toString(version))).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
