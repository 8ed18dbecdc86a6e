package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command needs: the root's settings, the API, and where to write. */
abstract class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    KerbexCli root() {
        return (KerbexCli) spec.root().userObject();
    }

    AdminApi api() {
        return root().api();
    }

    String tenant() {
        return root().tenant();
    }

    PrintWriter out() {
        return root().out();
    }

    boolean json() {
        return root().json();
    }

    /** Prints {@code node} as JSON with {@code -o json}, else runs {@code human}. */
    int show(JsonNode node, Runnable human) {
        if (json()) {
            Output.json(out(), node);
        } else {
            human.run();
        }
        return ExitCodes.OK;
    }
}
