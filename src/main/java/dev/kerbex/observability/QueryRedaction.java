package dev.kerbex.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.inject.Singleton;

/**
 * The HTTP server span records the query string ({@code url.query}); a client that puts a credential there (a
 * misconfigured {@code ?access_token=}) must not have it exported. Kerbex's endpoints read no query parameter, so the
 * value is replaced as the span starts. Only runs when tracing is on (Quarkus adds every SpanProcessor bean).
 */
@Singleton
public class QueryRedaction implements SpanProcessor {
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final String REDACTED = "[redacted]";

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (span.getAttribute(URL_QUERY) != null) {
            span.setAttribute(URL_QUERY, REDACTED);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
