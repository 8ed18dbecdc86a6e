package dev.kerbex.cli;

import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.Command;

/** {@code kerbex logout}: forgets what {@code kerbex login} kept. */
@Command(name = "logout", description = "Forget the token (and URL, tenant) kept by `kerbex login`.")
final class LogoutCommand extends Base {
    @Override
    public Integer call() throws IOException {
        boolean existed = Files.deleteIfExists(root().settingsFile());
        out().println(existed ? "Logged out: " + root().settingsFile() + " removed." : "Not logged in.");
        return ExitCodes.OK;
    }
}
