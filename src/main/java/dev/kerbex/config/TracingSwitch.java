package dev.kerbex.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One setting for tracing, {@code kerbex.tracing.enabled} ({@code KERBEX_TRACING_ENABLED=true}): it turns on the
 * OpenTelemetry SDK ({@code quarkus.otel.sdk.disabled=false}) and the JDBC spans
 * ({@code quarkus.datasource.jdbc.telemetry.enabled=true}), which application.properties keeps off. Between
 * application.properties (250) and environment variables (300): an operator's explicit Quarkus setting still wins.
 */
public final class TracingSwitch implements ConfigSourceFactory {
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue enabled = context.getValue("kerbex.tracing.enabled");
        boolean on = enabled != null && enabled.getValue() != null && Boolean.parseBoolean(enabled.getValue().trim());
        // Always say it, on or off: a value seen while building would otherwise be kept as the runtime default.
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.otel.sdk.disabled", Boolean.toString(!on),
                "quarkus.datasource.jdbc.telemetry.enabled", Boolean.toString(on)), "kerbex-tracing-switch", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
