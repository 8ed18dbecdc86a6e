package dev.kerbex.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kerbex's own spans (verification, policy, signing, audit commit, KDC calls) under the HTTP server span Quarkus opens,
 * each with the request id as {@code kerbex.request_id}, never a token, ticket, key or secret: attributes are names and
 * ids only. With tracing off ({@code quarkus.otel.sdk.disabled=true}, the default) {@link #start} returns one shared
 * no-op and allocates nothing, so the token endpoint pays a field read per step.
 */
public final class Traces {
    public static final String REQUEST_ID = "kerbex.request_id";
    private static volatile Tracer tracer;

    private Traces() {
    }

    /** A span for one step, current until {@link Span#close()}; use in try-with-resources. */
    public static Span start(String name) {
        Tracer t = tracer;
        if (t == null) {
            return Span.NOOP;
        }
        io.opentelemetry.api.trace.Span span = t.spanBuilder(name).startSpan();
        String requestId = LogContext.requestId();
        if (requestId != null) {
            span.setAttribute(REQUEST_ID, requestId);
        }
        return new Span(span, span.makeCurrent());
    }

    /** The request id on the span that is current (Quarkus's HTTP server span), when tracing is on. */
    public static void tagRequest(String requestId) {
        if (tracer != null) {
            io.opentelemetry.api.trace.Span.current().setAttribute(REQUEST_ID, requestId);
        }
    }

    /** One step's span. */
    public static final class Span implements AutoCloseable {
        static final Span NOOP = new Span(null, null);
        private final io.opentelemetry.api.trace.Span span;
        private final Scope scope;

        private Span(io.opentelemetry.api.trace.Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** An attribute that is a name or an id (a tenant, a KDC address, an error code), never a credential. */
        public Span attribute(String key, String value) {
            if (span != null && value != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        /** Marks the step failed with an error code or a failure kind, never an exception message. */
        public void failed(String what) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, what);
            }
        }

        @Override
        public void close() {
            if (span != null) {
                scope.close();
                span.end();
            }
        }
    }

    /** Turns tracing on at start when the OpenTelemetry SDK is enabled. */
    @Singleton
    static class Setup {
        private final OpenTelemetry openTelemetry;
        private final boolean disabled;

        @Inject
        Setup(OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
            this.openTelemetry = openTelemetry;
            this.disabled = disabled;
        }

        void onStart(@Observes StartupEvent start) {
            tracer = disabled ? null : openTelemetry.getTracer("dev.kerbex");
        }
    }
}
