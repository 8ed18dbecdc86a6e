package dev.kerbex.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 9449 §8 nonces without state: made by any replica with the secret, current for two windows, then not. */
class DpopNoncesTest {
    static final byte[] SECRET = new byte[32];
    static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

    static DpopNonces at(Instant now, byte[] secret) {
        return new DpopNonces(true, Duration.ofSeconds(60), secret, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void nonceWhenSameSecretOnAnotherReplicaThenValid() {
        String nonce = at(T0, SECRET).current();
        assertThat(at(T0, SECRET.clone()).valid(nonce)).isTrue();
        assertThat(at(T0, SECRET).current()).isEqualTo(nonce);
    }

    @Test
    void nonceWhenWindowsPassThenRotatedAndTheOldOneExpires() {
        String nonce = at(T0, SECRET).current();
        assertThat(at(T0.plusSeconds(60), SECRET).current()).isNotEqualTo(nonce);
        assertThat(at(T0.plusSeconds(60), SECRET).valid(nonce)).as("the next window still takes it").isTrue();
        assertThat(at(T0.plusSeconds(120), SECRET).valid(nonce)).as("two windows on").isFalse();
        assertThat(at(T0.minusSeconds(60), SECRET).valid(nonce)).as("from the future").isFalse();
    }

    @Test
    void nonceWhenOtherSecretOrGarbageThenInvalid() {
        byte[] other = Arrays.copyOf(SECRET, 32);
        other[0] = 1;
        assertThat(at(T0, other).valid(at(T0, SECRET).current())).isFalse();
        for (String bad : new String[] {null, "", "x", "not base64!", "A".repeat(65), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            assertThat(at(T0, SECRET).valid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
