package dev.kerbex.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.config.KerbexConfig;
import dev.kerbex.observability.LogContext;
import dev.kerbex.store.TenantRepository;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.function.Predicate;

/** What every admin resource does first: who calls, may they, which version do they hold. */
@ApplicationScoped
class AdminSupport {
    private final Predicate<String> tenantExists;
    private final ObjectMapper json;
    private final String publicUrl;

    @Inject
    AdminSupport(TenantRepository tenants, ObjectMapper json, KerbexConfig config) {
        this(t -> tenants.find(t).isPresent(), json, config.publicUrl());
    }

    /** On its ports alone: whether a tenant exists, and {@code kerbex.public-url}. */
    AdminSupport(Predicate<String> tenantExists, ObjectMapper json, String publicUrl) {
        this.tenantExists = tenantExists;
        this.json = json;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /**
     * {@code Location} of a created resource: absolute, under {@code kerbex.public-url} (SPEC §1). A relative URI
     * would be resolved by the server against the request's {@code Host} header, which the caller chooses.
     */
    URI location(String path) {
        return URI.create(publicUrl + path);
    }

    AdminCaller caller(SecurityIdentity identity) {
        AdminCaller caller = AdminCaller.of(identity);
        LogContext.client(AdminCaller.clientId(identity));
        return caller;
    }

    /** 404 for a tenant the caller has no role for, exactly as for one that does not exist. */
    void mayRead(AdminCaller caller, String tenant) {
        if (!caller.mayRead(tenant) || !tenantExists.test(tenant)) {
            throw AdminProblem.notFound();
        }
    }

    /** As {@link #mayRead}, then 403 for a viewer. */
    void mayWrite(AdminCaller caller, String tenant) {
        mayRead(caller, tenant);
        if (!caller.mayWrite(tenant)) {
            throw AdminProblem.forbidden("read-only access to this tenant");
        }
    }

    /**
     * RFC 9110 §13.1.1 {@code If-Match} against the resource's {@code current} version, which it returns for the
     * store's own check (so a write between this read and the update is still a 412). {@code *} matches any current
     * version; otherwise a comma-separated list of entity tags matches when one of them is the current one, compared
     * strongly (§8.8.3.2): a weak tag ({@code W/"1"}) never matches. Absent: 428; no match, or not a list of entity
     * tags: 412.
     */
    long expectedVersion(String ifMatch, long current) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw AdminProblem.preconditionRequired();
        }
        String value = ifMatch.trim();
        if (value.equals("*")) {
            return current;
        }
        int i = 0;
        boolean matched = false;
        while (i < value.length()) {
            // #entity-tag (RFC 9110 §5.6.1): empty elements and optional whitespace around commas are allowed.
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean weak = value.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            if (open >= value.length() || value.charAt(open) != '"') {
                throw AdminProblem.preconditionFailed();
            }
            int close = value.indexOf('"', open + 1);
            if (close < 0) {
                throw AdminProblem.preconditionFailed();
            }
            String opaque = value.substring(open + 1, close);
            if (!weak && opaque.equals(Long.toString(current))) {
                matched = true;
            }
            i = close + 1;
            if (i < value.length() && value.charAt(i) != ',' && value.charAt(i) != ' ' && value.charAt(i) != '\t') {
                throw AdminProblem.preconditionFailed();
            }
        }
        if (!matched) {
            throw AdminProblem.preconditionFailed();
        }
        return current;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The caller and this request's ids, before any check: the service authorises. */
    AdminOperation operation(SecurityIdentity identity, HttpServerRequest http) {
        return new AdminOperation(caller(identity), requestId(), source(http));
    }

    String json(ObjectNode details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode details(String action, String resource) {
        return json.createObjectNode().put("action", action).put("resource", resource);
    }

    static String source(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    /** The id RequestIds put in the log context for this request (also echoed as X-Request-Id). */
    static String requestId() {
        return LogContext.requestId();
    }
}
