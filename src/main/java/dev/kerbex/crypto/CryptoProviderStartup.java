package dev.kerbex.crypto;

import dev.kerbex.config.KerbexConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Applies {@code kerbex.crypto.provider} at Quarkus start (a no-op when {@code KerbexMain} did it already) and
 * publishes the outcome as {@code kerbex_crypto_provider_info{provider="AmazonCorrettoCryptoProvider"} 1} (or {@code SunEC}).
 */
@ApplicationScoped
public class CryptoProviderStartup {
    private final String choice;
    private final MeterRegistry metrics;

    public CryptoProviderStartup(KerbexConfig config, MeterRegistry metrics) {
        this.choice = config.crypto().provider();
        this.metrics = metrics;
    }

    void onStart(@Observes @Priority(1) StartupEvent start) {
        String provider = CryptoProviders.install(choice);
        Gauge.builder("kerbex.crypto.provider.info", () -> 1).tag("provider", provider)
                .description("The JCA provider that signs and verifies ES256 (kerbex.crypto.provider)")
                .register(metrics);
    }
}
