package dev.kerbex.config;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The one {@link Clock} of the service. Beans take it by constructor injection instead of calling
 * {@code Clock.systemUTC()} themselves, so that tests can hand them a fixed or stepping clock.
 */
@ApplicationScoped
public class SystemClock {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The Caffeine {@link Ticker} that follows {@code clock}: the system's monotonic ticker for the system clock (so a
     * step of the wall clock moves no expiry), else one reading {@code clock}, so that a test's clock moves expiry too.
     * Every cache whose entries the clock should age takes its ticker from here.
     */
    public static Ticker ticker(Clock clock) {
        return clock.equals(Clock.systemUTC()) ? Ticker.systemTicker() : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }
}
