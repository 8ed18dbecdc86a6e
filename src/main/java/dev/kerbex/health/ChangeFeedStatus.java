package dev.kerbex.health;

import java.util.concurrent.atomic.AtomicLong;

import dev.kerbex.store.TenantChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Counts the change feed's (re)connections: the feed announces every one with {@link TenantChanged#EVERY_TENANT}
 * (changes may have been missed while nobody listened), so every such event after the first is a reconnect
 * ({@code kerbex_change_feed_reconnects_total}).
 */
@Singleton
public class ChangeFeedStatus {
    private final AtomicLong connects = new AtomicLong();
    private final Counter reconnects;

    ChangeFeedStatus(MeterRegistry registry) {
        this.reconnects = Counter.builder("kerbex.change.feed.reconnects")
                .description("Times the change feed listened again after losing its connection").register(registry);
    }

    void connected(@Observes TenantChanged changed) {
        if (changed.everyTenant() && connects.incrementAndGet() > 1) {
            reconnects.increment();
        }
    }

    public long reconnects() {
        return Math.max(0, connects.get() - 1);
    }
}
