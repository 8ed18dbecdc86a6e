package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kerbex.embedded.EmbeddedAdminAccess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code kerbex}, the command line of the admin API (issue 13): only the public API (SPEC §8, openapi.yaml), so
 * every check the API makes applies. Run by {@code bin/kerbex} from the packaged application's class path.
 */
@Command(name = "kerbex", mixinStandardHelpOptions = true, versionProvider = KerbexCli.Version.class,
        description = "Administer Kerbex's tenants, policies, clients and keys through its admin API.",
        subcommands = {LoginCommand.class, LogoutCommand.class, TenantsCommand.class, PoliciesCommand.class,
                EvaluateCommand.class, AuditCommand.class, ClientsCommand.class, TrustedIssuersCommand.class, KeysCommand.class,
                AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (evaluate: the request would be allowed)",
                "1:unexpected error, unreadable file",
                "2:bad command line",
                "3:not logged in, token refused (401) or role missing (403)",
                "4:not found (404)",
                "5:conflict: changed by someone else (412), If-Match missing (428), conflicting state (409)",
                "6:invalid input: refused by the API (400, 413, 415) or not JSON",
                "7:service unreachable or failing (5xx)",
                "8:evaluate: the request would be refused"})
public final class KerbexCli {
    /** Lifetime of the tokens signed with the embedded admin key for each command. */
    static final Duration EMBEDDED_TOKEN_LIFETIME = Duration.ofMinutes(5);
    /** A saved access token this close to its expiry is refreshed before use (clock skew, the request's own time). */
    static final Duration REFRESH_BEFORE = Duration.ofSeconds(30);

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Kerbex's base URL (default: $KERBEX_URL, else the one of `kerbex login`, else http://localhost:8080).")
    String url;

    @Option(names = {"-t", "--tenant"}, scope = ScopeType.INHERIT, paramLabel = "TENANT",
            description = "The tenant (default: $KERBEX_TENANT, else the one of `kerbex login --tenant`).")
    String tenant;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default) or json.")
    Output.Format output;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Where `kerbex login` keeps its settings (default: $KERBEX_CLI_CONFIG, else"
                    + " $XDG_CONFIG_HOME/kerbex/cli.json, else ~/.config/kerbex/cli.json).")
    Path config;

    private final Map<String, String> env;
    private PrintWriter out;
    private PrintWriter err;

    KerbexCli(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String... args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv()));
    }

    /** Runs one command line; the exit code is returned, never {@code System.exit}ed (tests call this). */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        KerbexCli root = new KerbexCli(env);
        root.out = out;
        root.err = err;
        CommandLine cli = new CommandLine(root);
        cli.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, line, parsed) -> root.fail(e));
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private int fail(Exception e) {
        if (e instanceof CliException c) {
            if (output == Output.Format.json) {
                // For scripts: the message, the exit code and the API's problem document, on one line.
                var n = AdminApi.JSON.createObjectNode().put("error", c.getMessage()).put("exit_code", c.exitCode());
                if (c.problem() != null) {
                    n.set("problem", c.problem());
                }
                err.println(n.toString());
            } else {
                err.println("kerbex: " + c.getMessage());
            }
            return c.exitCode();
        }
        err.println("kerbex: unexpected error: " + e);
        return ExitCodes.ERROR;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    boolean json() {
        return output == Output.Format.json;
    }

    Map<String, String> env() {
        return env;
    }

    Path settingsFile() {
        return CliSettings.location(config, env);
    }

    CliSettings settings() {
        return CliSettings.load(settingsFile());
    }

    String url() {
        if (url != null) {
            return url;
        }
        if (env.get("KERBEX_URL") != null) {
            return env.get("KERBEX_URL");
        }
        String saved = settings().url();
        return saved != null ? saved : "http://localhost:8080";
    }

    String tenant() {
        String t = tenant != null ? tenant : env.get("KERBEX_TENANT") != null ? env.get("KERBEX_TENANT") : settings().tenant();
        if (t == null || t.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no tenant: give --tenant TENANT (or set KERBEX_TENANT, or"
                    + " `kerbex login --tenant TENANT`)");
        }
        return t;
    }

    /** The API with the token of $KERBEX_TOKEN, else of `kerbex login` (a saved token, or one signed per command). */
    AdminApi api() {
        return new AdminApi(url(), this::token);
    }

    private String token() {
        String fromEnv = env.get("KERBEX_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        CliSettings s = settings();
        if (s.token() != null && s.refreshToken() != null && expiresWithin(s.token(), REFRESH_BEFORE)) {
            // An OIDC login's access token is short-lived (minutes): renew it with the refresh token and keep both.
            OidcClient.Tokens fresh = new OidcClient(s.clientId()).refresh(s.tokenEndpoint(), s.refreshToken());
            s.withTokens(fresh.accessToken(), fresh.refreshToken()).save(settingsFile());
            return fresh.accessToken();
        }
        if (s.token() != null) {
            return s.token();
        }
        if (s.embeddedDir() != null) {
            return embeddedToken(Path.of(s.embeddedDir()));
        }
        throw new CliException(ExitCodes.AUTH, "not logged in: run `kerbex login` (or set KERBEX_TOKEN)");
    }

    /**
     * Whether the JWT's {@code exp} is less than {@code margin} away (or past). Read without verification: only to
     * decide when to refresh; the admin API verifies the token. A token without a readable {@code exp} is used as is.
     */
    static boolean expiresWithin(String jwt, Duration margin) {
        JsonNode exp = LoginCommand.claims(jwt).path("exp");
        return exp.canConvertToLong() && Instant.ofEpochSecond(exp.asLong()).isBefore(Instant.now().plus(margin));
    }

    static String embeddedToken(Path dir) {
        try {
            return EmbeddedAdminAccess.open(dir).token(Instant.now(), EMBEDDED_TOKEN_LIFETIME);
        } catch (IOException e) {
            throw new CliException(ExitCodes.AUTH, "cannot use the embedded admin key in " + dir + ": " + e.getMessage());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KerbexCli.class.getPackage().getImplementationVersion();
            return new String[] {"kerbex " + (v == null ? "(development build)" : v)};
        }
    }
}
