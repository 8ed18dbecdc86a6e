package dev.kerbex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line's diff, canonical JSON and tables. */
class OutputTest {

    @Test
    void diffWhenLineChangedThenRemovedBeforeAddedAndTheRestKept() {
        assertThat(Output.diff("a\nb\nc", "a\nB\nc\nd")).containsExactly("  a", "- b", "+ B", "  c", "+ d");
        assertThat(Output.diff("", "x")).containsExactly("+ x");
        assertThat(Output.diff("x\ny", "x\ny")).containsExactly("  x", "  y");
    }

    @Test
    void canonicalThenMembersSortedAndNullsDropped() throws Exception {
        var node = AdminApi.JSON.readTree("{\"b\": {\"z\": 1, \"y\": null}, \"a\": [{\"d\": 1, \"c\": 2}]}");
        assertThat(Output.canonical(node).toString()).isEqualTo("{\"a\":[{\"c\":2,\"d\":1}],\"b\":{\"z\":1}}");
        assertThat(Output.canonical(node)).isEqualTo(Output.canonical(AdminApi.JSON.readTree(
                "{\"a\": [{\"c\": 2, \"d\": 1}], \"b\": {\"z\": 1}}")));
    }

    @Test
    void tableThenColumnsPaddedAndProblemDescribedFieldByField() throws Exception {
        StringWriter w = new StringWriter();
        Output.table(new PrintWriter(w, true), List.of("NAME", "EFFECT"), List.of(List.of("reads", "allow")));
        assertThat(w.toString()).isEqualTo("NAME   EFFECT\nreads  allow\n");
        var problem = AdminApi.JSON.readTree("{\"type\": \"urn:kerbex:problem:invalid-body\", \"title\": \"Invalid"
                + " request body\", \"status\": 400, \"detail\": \"1 invalid field\", \"errors\": [{\"pointer\":"
                + " \"/name\", \"detail\": \"required\"}]}");
        assertThat(AdminApi.describe("POST", "/x", 400, problem))
                .isEqualTo("400 Invalid request body: 1 invalid field\n  /name: required");
        assertThat(ExitCodes.forStatus(412)).isEqualTo(ExitCodes.CONFLICT);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(ExitCodes.UNAVAILABLE);
    }
}
