package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failure the command line reports as one message and an exit code ({@link ExitCodes}); never a stack trace.
 * {@code problem} is the API's RFC 9457 problem document when the failure is an API answer.
 */
final class CliException extends RuntimeException {
    private final int exitCode;
    private final transient JsonNode problem;

    CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    CliException(int exitCode, String message, JsonNode problem) {
        super(message);
        this.exitCode = exitCode;
        this.problem = problem;
    }

    int exitCode() {
        return exitCode;
    }

    JsonNode problem() {
        return problem;
    }
}
