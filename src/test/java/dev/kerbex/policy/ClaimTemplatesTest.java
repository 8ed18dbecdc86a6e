package dev.kerbex.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimTemplatesTest {

    static final Map<String, Object> VARS = Map.of(
            "principal", "alice@CORP.EXAMPLE",
            "realm", "CORP.EXAMPLE",
            "client_id", "billing",
            "preferred_username", "alice",
            "level", 3);

    static Stream<Arguments> rendered() {
        return Stream.of(
                Arguments.of("billing", "billing"),
                Arguments.of("", ""),
                Arguments.of("${principal}", "alice@CORP.EXAMPLE"),
                Arguments.of("${preferred_username}@${realm}", "alice@CORP.EXAMPLE"),
                Arguments.of("via ${client_id}!", "via billing!"),
                Arguments.of("level-${level}", "level-3"),
                Arguments.of("$${principal}", "${principal}"),
                Arguments.of("$$${realm}", "$${realm}"), // the leftmost "$${" is the escape
                Arguments.of("cost: $5 and $", "cost: $5 and $"),
                Arguments.of("{principal}", "{principal}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rendered")
    void render(String template, String expected) {
        assertThat(ClaimTemplates.render(template, VARS)).isEqualTo(expected);
    }

    @Test
    void renderWhenVariablesUnknownThenListsThemAll() {
        assertThatThrownBy(() -> ClaimTemplates.render("${dept}-${principal}-${team}-${dept}", VARS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown template variables: dept, team");
        assertThatThrownBy(() -> ClaimTemplates.render("${dept}", VARS))
                .hasMessage("unknown template variable: dept");
    }

    @Test
    void renderTreatsNullValueAsUnknown() {
        java.util.HashMap<String, Object> vars = new java.util.HashMap<>();
        vars.put("dept", null);
        assertThatThrownBy(() -> ClaimTemplates.render("${dept}", vars))
                .hasMessage("unknown template variable: dept");
    }

    @Test
    void variablesInOrderOfFirstUse() {
        assertThat(ClaimTemplates.variables("${b}${a}$${c}${b}")).containsExactly("b", "a");
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("${principal", "'${' at position 0 is not closed by '}'"),
                Arguments.of("x-${}", "'${}' at position 2 names no variable"),
                Arguments.of("${ }", "'${}' at position 0 names no variable"),
                Arguments.of("x${a${b}}", "'${' at position 1 is not closed before '$'"),
                Arguments.of("${a{b}", "'${' at position 0 is not closed before '{'"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void syntaxErrorsAreReported(String template, String message) {
        assertThatThrownBy(() -> ClaimTemplates.variables(template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> ClaimTemplates.render(template, VARS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
