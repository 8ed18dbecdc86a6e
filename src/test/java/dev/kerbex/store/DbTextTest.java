package dev.kerbex.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one cleaning rule of audit rows, for the token side and the admin side alike. */
class DbTextTest {

    @Test
    void cleanWhenTextHoldsNulThenReplacedAndBounded() {
        assertThat(DbText.clean("a\u0000b", 10)).isEqualTo("a\uFFFDb");
        assertThat(DbText.clean("abcdef", 3)).isEqualTo("abc");
        assertThat(DbText.clean("\u0000bcdef", 2)).isEqualTo("\uFFFDb");
        assertThat(DbText.clean(null, 3)).isNull();
    }

    @Test
    void cleanJsonWhenEscapedNulThenReplacementCharacterAndEscapedBackslashKept() {
        assertThat(DbText.cleanJson("{\"a\":\"x\\u0000y\"}")).isEqualTo("{\"a\":\"x\\ufffdy\"}");
        // "\\u0000" is a backslash followed by the text u0000, not a NUL: left as it is
        assertThat(DbText.cleanJson("{\"a\":\"x\\\\u0000\"}")).isEqualTo("{\"a\":\"x\\\\u0000\"}");
        assertThat(DbText.cleanJson("{\"a\":\"\\\\\\u0000\"}")).isEqualTo("{\"a\":\"\\\\\\ufffd\"}");
        assertThat(DbText.cleanJson("{\"a\":1}")).isEqualTo("{\"a\":1}");
        assertThat(DbText.cleanJson(null)).isNull();
    }
}
