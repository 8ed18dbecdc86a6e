package dev.kerbex.observability;

import org.jboss.logging.MDC;

/**
 * The request's ids in the log context (MDC), so that every line logged while a request is handled names the request,
 * the tenant and the client — in the plain format ({@code %X{...}}) and as fields of a JSON line. Never a token, a
 * secret or a ticket: only ids the audit trail also holds. A map put per request, nothing more (hot path).
 */
public final class LogContext {
    public static final String REQUEST_ID = "request_id";
    public static final String TENANT = "tenant";
    public static final String CLIENT_ID = "client_id";

    private LogContext() {
    }

    public static void requestId(String id) {
        MDC.put(REQUEST_ID, id);
    }

    /** The request id of the request being handled, or null outside one. */
    public static String requestId() {
        Object id = MDC.get(REQUEST_ID);
        return id == null ? null : id.toString();
    }

    public static void tenant(String tenant) {
        if (tenant != null) {
            MDC.put(TENANT, tenant);
        }
    }

    /** The client id as the request named it (then as authenticated): the same id the audit row carries. */
    public static void client(String clientId) {
        if (clientId != null) {
            MDC.put(CLIENT_ID, clientId);
        }
    }

    public static void clear() {
        MDC.remove(REQUEST_ID);
        MDC.remove(TENANT);
        MDC.remove(CLIENT_ID);
    }
}
