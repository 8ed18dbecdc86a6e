package dev.kerbex.health;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.kerbex.observability.JwksStatus;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last fetch of each trusted issuer's JWK Set this replica needed: {@code ok <time>} or the failure. Always UP:
 * an unreachable issuer refuses only its own tokens (503), not the replica's other work.
 */
@Readiness
@ApplicationScoped
public class TrustedIssuerJwksReadiness implements HealthCheck {
    private final JwksStatus status;

    TrustedIssuerJwksReadiness(JwksStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("trusted-issuer-jwks").up();
        long failing = 0;
        for (Map.Entry<String, JwksStatus.Attempt> e : status.attempts().entrySet()) {
            JwksStatus.Attempt a = e.getValue();
            r.withData(e.getKey(), a.failure() == null ? "ok " + a.at() : "failed " + a.at() + ": " + a.failure());
            failing += a.failure() == null ? 0 : 1;
        }
        return r.withData("failing", failing).build();
    }
}
