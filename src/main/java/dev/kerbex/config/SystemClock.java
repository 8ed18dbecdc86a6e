package dev.kerbex.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

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
}
