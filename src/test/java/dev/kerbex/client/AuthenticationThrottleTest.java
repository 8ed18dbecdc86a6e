package dev.kerbex.client;

import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenRequest.ClientCredentials;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 10, defect 4: failed client authentication is throttled per client id and per address, bcrypt is bounded. */
class AuthenticationThrottleTest {
    private static final String SECRET = "billing-secret-0123";
    private static final String TOO_MANY_CLIENT = "client authentication: too many failures for this client, retry later";
    private static final String TOO_MANY_ADDRESS = "client authentication: too many failures from this address, retry later";

    private static ClientSecrets secrets;
    private static TenantSnapshot tenant;

    @BeforeAll
    static void setUp() {
        secrets = new ClientSecrets();
        OAuthClient billing = new OAuthClient("acme", "billing", secrets.hash(SECRET), null,
                List.of(OAuthClient.TOKEN_EXCHANGE), List.of(), null);
        OAuthClient other = new OAuthClient("acme", "other", secrets.hash("other-secret-0123"), null,
                List.of(OAuthClient.TOKEN_EXCHANGE), List.of(), null);
        Tenant acme = new Tenant("acme", List.of("EXAMPLE.TEST"), List.of(), List.of(), Duration.ofHours(1), null);
        tenant = TenantSnapshot.of(acme, List.of(billing, other), List.of());
    }

    private static OAuthException attempt(ClientAuthenticator auth, String clientId, String secret, String address) {
        return catchThrowableOfType(OAuthException.class, () -> auth.authenticate(tenant,
                new ClientCredentials(clientId, secret, null, null), null, "token", address));
    }

    @Test
    void authenticateWhenClientFailedTooOftenThen429WithRetryAfterEvenForTheRightSecret() {
        ClientAuthenticator auth = new ClientAuthenticator(secrets,
                new AuthenticationThrottle(3, 0, Duration.ofMinutes(1), 1));
        for (int i = 0; i < 3; i++) {
            assertThat(attempt(auth, "billing", "wrong-" + i, "192.0.2.1").code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        }
        OAuthException throttled = attempt(auth, "billing", "wrong-4", "192.0.2.2");
        assertThat(throttled.code()).isEqualTo(OAuthErrorCode.RATE_LIMITED);
        assertThat(throttled.code().status()).isEqualTo(429);
        assertThat(throttled.description()).isEqualTo(TOO_MANY_CLIENT);
        assertThat(throttled.retryAfterSeconds()).isBetween(1L, 61L);
        assertThat(throttled.audited()).as("the first refusal of the window is audited").isTrue();
        // Not checked at all while throttled: a guess of the right secret cannot confirm itself.
        OAuthException right = attempt(auth, "billing", SECRET, "192.0.2.3");
        assertThat(right.code()).isEqualTo(OAuthErrorCode.RATE_LIMITED);
        assertThat(right.audited()).as("later refusals of the same window are not").isFalse();
        // Another client is not affected.
        assertThat(attempt(auth, "other", "other-secret-0123", "192.0.2.1")).isNull();
    }

    @Test
    void authenticateWhenUnknownClientsFailedTooOftenThenThrottledLikeKnownOnes() {
        ClientAuthenticator auth = new ClientAuthenticator(secrets,
                new AuthenticationThrottle(2, 0, Duration.ofMinutes(1), 1));
        OAuthException unknown = attempt(auth, "nobody", "x", null);
        OAuthException wrong = attempt(auth, "billing", "x", null);
        assertThat(unknown.code()).isEqualTo(wrong.code());
        assertThat(unknown.description()).isEqualTo(wrong.description());
        attempt(auth, "nobody", "y", null);
        assertThat(attempt(auth, "nobody", "z", null).description()).isEqualTo(TOO_MANY_CLIENT);
    }

    @Test
    void authenticateWhenAddressFailedTooOftenThen429ForEveryClientIdFromIt() {
        ClientAuthenticator auth = new ClientAuthenticator(secrets,
                new AuthenticationThrottle(0, 4, Duration.ofMinutes(1), 1));
        for (int i = 0; i < 4; i++) {
            assertThat(attempt(auth, "guess-" + i, "x", "198.51.100.7").code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
        }
        OAuthException throttled = attempt(auth, "billing", SECRET, "198.51.100.7");
        assertThat(throttled.code()).isEqualTo(OAuthErrorCode.RATE_LIMITED);
        assertThat(throttled.description()).isEqualTo(TOO_MANY_ADDRESS);
        assertThat(attempt(auth, "billing", SECRET, "198.51.100.8")).as("another address").isNull();
    }

    @Test
    void authenticateWhenRememberedSecretThenNoPermitNeededDuringAFlood() throws Exception {
        AuthenticationThrottle throttle = new AuthenticationThrottle(0, 0, Duration.ofMinutes(1), 1);
        ClientAuthenticator auth = new ClientAuthenticator(secrets, throttle);
        assertThat(attempt(auth, "billing", SECRET, null)).isNull(); // remembered from now on
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // The only permit is held, as by a bcrypt of a guess that never ends.
            Future<Boolean> held = pool.submit(() -> throttle.hashCheck(() -> {
                holding.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(attempt(auth, "billing", SECRET, null)).as("a remembered secret needs no bcrypt").isNull();
            OAuthException busy = attempt(auth, "other", "a-guess", null);
            assertThat(busy.code()).isEqualTo(OAuthErrorCode.RATE_LIMITED);
            assertThat(busy.description()).isEqualTo("client authentication: busy, retry later");
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void hashCheckWhenManyAtOnceThenAtMostThePermitsRunTogether() throws Exception {
        AuthenticationThrottle throttle = new AuthenticationThrottle(0, 0, Duration.ofMinutes(1), 2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                checks.add(pool.submit(() -> throttle.hashCheck(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    boolean ok = secrets.matches("wrong", secrets.hash("right-secret"));
                    running.decrementAndGet();
                    return ok;
                })));
            }
            for (Future<Boolean> check : checks) {
                try {
                    check.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException busy) {
                    assertThat(busy.getCause()).isInstanceOf(OAuthException.class);
                }
            }
            assertThat(most.get()).isLessThanOrEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
