package dev.kerbex.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.policy.FieldError;
import dev.kerbex.store.AdminStore;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/** What every admin resource does first: who calls, may they, which version do they hold, and auditing refusals. */
@ApplicationScoped
class AdminSupport {
    private static final Pattern STRONG_TAG = Pattern.compile("\"(\\d{1,18})\"");

    private final AdminStore store;
    private final ObjectMapper json;

    AdminSupport(AdminStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    AdminCaller caller(SecurityIdentity identity) {
        return AdminCaller.of(identity);
    }

    /** 404 for a tenant the caller has no role for, exactly as for one that does not exist. */
    void mayRead(AdminCaller caller, String tenant) {
        if (!caller.mayRead(tenant) || !store.tenant(tenant).isPresent()) {
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

    /** RFC 9110 §13.1.1: the version named by a strong If-Match tag; 428 without one, 412 for anything else. */
    long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw AdminProblem.preconditionRequired();
        }
        var m = STRONG_TAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw AdminProblem.preconditionFailed();
        }
        return Long.parseLong(m.group(1));
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The caller, who must be allowed to write {@code tenant} (404 or 403 otherwise), and this request's ids. */
    AdminOperation writer(SecurityIdentity identity, String tenant, HttpServerRequest http) {
        AdminCaller caller = caller(identity);
        mayWrite(caller, tenant);
        return new AdminOperation(caller, requestId(), source(http));
    }

    AdminStore.Change change(AdminOperation op, String reason, ObjectNode details) {
        try {
            return new AdminStore.Change(op.caller().name(), op.requestId(), op.source(), reason,
                    json.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode details(String action, String resource) {
        return json.createObjectNode().put("action", action).put("resource", resource);
    }

    /** Audits a refused write, then throws the problem: the data stays as it was. */
    RuntimeException refused(AdminProblem problem, AdminOperation op, String tenant, UUID policyId, String action,
            String resource) {
        ObjectNode d = details(action, resource).put("status", problem.status());
        List<FieldError> errors = problem.errors();
        if (!errors.isEmpty()) {
            var list = d.putArray("errors");
            errors.forEach(e -> list.addObject().put("pointer", e.pointer()).put("detail", e.message()));
        }
        store.recordFailure(tenant, policyId, change(op, action + " " + resource + " refused", d));
        return problem;
    }

    static String source(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    /** The id RequestIds put in the log context for this request (also echoed as X-Request-Id). */
    static String requestId() {
        Object id = MDC.get("request_id");
        return id == null ? null : id.toString();
    }
}
