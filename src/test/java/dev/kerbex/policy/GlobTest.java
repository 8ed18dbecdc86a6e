package dev.kerbex.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // pattern, input, expected
                Arguments.of("*@CORP.EXAMPLE", "alice@CORP.EXAMPLE", true),
                Arguments.of("*@CORP.EXAMPLE", "svc/host.corp.example@CORP.EXAMPLE", true),
                Arguments.of("*@CORP.EXAMPLE", "alice@OTHER.EXAMPLE", false),
                Arguments.of("*@CORP.EXAMPLE", "alice@corp.example", false),
                Arguments.of("*@CORP.EXAMPLE", "alice@CORP.EXAMPLEX", false),
                Arguments.of("svc-*/*@CORP.EXAMPLE", "svc-billing/app.corp.example@CORP.EXAMPLE", true),
                Arguments.of("svc-*/*@CORP.EXAMPLE", "svc-billing@CORP.EXAMPLE", false),
                Arguments.of("svc-*/*@CORP.EXAMPLE", "alice/admin@CORP.EXAMPLE", false),
                Arguments.of("https://*.example.test", "https://ledger.example.test", true),
                Arguments.of("https://*.example.test", "https://a/b.example.test", true),
                Arguments.of("https://*.example.test", "https://ledger.example.test/x", false),
                Arguments.of("https://ledger.example.test", "https://ledger.example.test", true),
                Arguments.of("https://ledger.example.test", "https://ledger.example.tes", false),
                Arguments.of("*", "", true),
                Arguments.of("*", "anything/at@ALL", true),
                Arguments.of("**", "x", true),
                Arguments.of("a*", "a", true),
                Arguments.of("*a", "", false),
                Arguments.of("?", "", false),
                Arguments.of("?", "x", true),
                Arguments.of("?", "xy", false),
                Arguments.of("?", "\uD83D\uDE00", true), // one code point, two UTF-16 chars
                Arguments.of("a?c", "abc", true),
                Arguments.of("a?c", "ac", false),
                Arguments.of("a*b*c", "aXXbYYc", true),
                Arguments.of("a*b*c", "aXXcYYb", false),
                Arguments.of("*ab*ab", "xabyab", true),
                Arguments.of("*aab", "aaab", true),
                Arguments.of("\\*", "*", true),
                Arguments.of("\\*", "x", false),
                Arguments.of("a\\?", "a?", true),
                Arguments.of("a\\?", "ab", false),
                Arguments.of("\\\\", "\\", true),
                Arguments.of("\\a", "a", true));
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @MethodSource("cases")
    void matches(String pattern, String input, boolean expected) {
        assertThat(Glob.compile(pattern).matches(input)).isEqualTo(expected);
    }

    @Test
    void nullMatchesNothing() {
        assertThat(Glob.compile("*").matches(null)).isFalse();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(null, "pattern is empty"),
                Arguments.of("", "pattern is empty"),
                Arguments.of("abc\\", "pattern ends with an unfinished escape '\\'"),
                Arguments.of("a".repeat(513), "pattern is longer than 512 characters"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void compileWhenInvalidThenMessage(String pattern, String message) {
        assertThatThrownBy(() -> Glob.compile(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void compileAcceptsTheLongestAllowedPattern() {
        assertThat(Glob.compile("a".repeat(512)).matches("a".repeat(512))).isTrue();
    }

    /**
     * A backtracking regex takes exponential time here. The matcher only resumes from the last
     * star, so each call is at most |input| × |pattern| steps and the loop below finishes quickly by
     * construction: no timing assertion is needed, a regression would hang the build instead.
     */
    @Test
    void pathologicalPatternsStayLinear() {
        String input = "a".repeat(10_000);
        Glob stars = Glob.compile("*a*a*a*a*a*a*a*a*a*a*b");
        Glob longTail = Glob.compile("*" + "a".repeat(20) + "b");
        Glob questions = Glob.compile("*?*?*?*?*?*?*?*?*b");
        for (int i = 0; i < 3_000; i++) {
            assertThat(stars.matches(input)).isFalse();
            assertThat(questions.matches(input)).isFalse();
        }
        for (int i = 0; i < 300; i++) {
            assertThat(longTail.matches(input)).isFalse();
        }
        assertThat(stars.matches(input + "b")).isTrue();
        assertThat(longTail.matches(input + "b")).isTrue();
    }

    @Test
    void equalityIsByPattern() {
        assertThat(Glob.compile("a*")).isEqualTo(Glob.compile("a*")).hasToString("a*");
        assertThat(Glob.compile("a*")).isNotEqualTo(Glob.compile("a**"));
    }
}
