package dev.kerbex.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.kerbex.store.ChangeFeed;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reports whether this replica hears other replicas' edits (LISTEN/NOTIFY). Always UP: while the feed is down a
 * replica still serves, with edits from elsewhere reaching it within {@code kerbex.tenant-cache-ttl}.
 */
@Readiness
@ApplicationScoped
public class ChangeFeedReadiness implements HealthCheck {
    private final ChangeFeed feed;
    private final ChangeFeedStatus status;

    ChangeFeedReadiness(ChangeFeed feed, ChangeFeedStatus status) {
        this.feed = feed;
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("change-feed").up()
                .withData("listening", feed.listening())
                .withData("reconnects", status.reconnects())
                .build();
    }
}
