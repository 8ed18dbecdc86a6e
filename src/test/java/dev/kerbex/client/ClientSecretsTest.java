package dev.kerbex.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientSecretsTest {

    private static final String SECRET = "correct-horse-battery-staple";
    private static String hash;

    private final ClientSecrets secrets = new ClientSecrets();

    @BeforeAll
    static void hashOnce() {
        hash = new ClientSecrets().hash(SECRET);
    }

    @Test
    void hashIsBcryptAtTheConfiguredCostAndNeverTheSecret() {
        assertThat(hash).startsWith("$2").contains("$" + ClientSecrets.BCRYPT_COST + "$").doesNotContain(SECRET);
        assertThat(hash).hasSize(60);
    }

    @Test
    void hashWhenSameSecretTwiceThenSaltsDiffer() {
        String second = secrets.hash(SECRET);

        assertThat(second).isNotEqualTo(hash);
        assertThat(secrets.matches(SECRET, second)).isTrue();
    }

    @Test
    void matchesWhenRightSecretThenTrue() {
        assertThat(secrets.matches(SECRET, hash)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "correct-horse-battery-stapl", "correct-horse-battery-staple ", "Correct-horse-battery-staple",
            "x" })
    void matchesWhenWrongSecretThenFalse(String wrong) {
        assertThat(secrets.matches(wrong, hash)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void matchesWhenSecretNullOrEmptyThenFalse(String secret) {
        assertThat(secrets.matches(secret, hash)).isFalse();
    }

    @Test
    void matchesWhenStoredHashNullThenFalse() {
        assertThat(secrets.matches(SECRET, null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not-a-hash", "$2a$10$", "$2a$10$tooshort",
            "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", SECRET })
    void matchesWhenStoredHashMalformedThenFalseWithoutException(String storedHash) {
        assertThat(secrets.matches(SECRET, storedHash)).isFalse();
    }

    @Test
    void matchesWhenCalledAgainThenStillTrueAndWrongSecretStillFalse() {
        assertThat(secrets.matches(SECRET, hash)).isTrue();
        // From here the pair is cached; the cache must not widen what matches.
        assertThat(secrets.matches(SECRET, hash)).isTrue();
        assertThat(secrets.matches(SECRET + "!", hash)).isFalse();
        assertThat(secrets.matches("other-secret-value", hash)).isFalse();
        assertThat(secrets.matches(SECRET, hash)).isTrue();
    }

    @Test
    void matchesWhenSecretCachedForOneHashThenAnotherHashIsStillChecked() {
        String otherHash = secrets.hash("a-rotated-secret-value");
        assertThat(secrets.matches(SECRET, hash)).isTrue();

        // A rotated secret changes the stored hash, so the old secret's cache entry must not apply.
        assertThat(secrets.matches(SECRET, otherHash)).isFalse();
        assertThat(secrets.matches("a-rotated-secret-value", otherHash)).isTrue();
        assertThat(secrets.matches("a-rotated-secret-value", hash)).isFalse();
    }

    @Test
    void matchesWhenWrongSecretTriedFirstThenRightSecretStillMatches() {
        String fresh = secrets.hash("fresh-secret-value");

        assertThat(secrets.matches("fresh-secret-valuX", fresh)).isFalse();
        assertThat(secrets.matches("fresh-secret-value", fresh)).isTrue();
        assertThat(secrets.matches("fresh-secret-valuX", fresh)).isFalse();
    }

    @Test
    void matchesWhenSecretHasNonAsciiThenExactMatchOnly() {
        String unicode = "p\u00e4ssw\u00f6rd-\u2603-long";
        String h = secrets.hash(unicode);

        assertThat(secrets.matches(unicode, h)).isTrue();
        assertThat(secrets.matches("passwo\u0308rd-\u2603-long", h)).isFalse();
    }

    @Test
    void separateInstancesDoNotShareTheCacheButAgree() {
        ClientSecrets other = new ClientSecrets();

        assertThat(secrets.matches(SECRET, hash)).isTrue();
        assertThat(other.matches(SECRET, hash)).isTrue();
        assertThat(other.matches("wrong-secret-value", hash)).isFalse();
    }
}
