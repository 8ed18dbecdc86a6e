package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kerbex login}: checks a bearer token against the admin API and keeps it (with the URL and a default
 * tenant) for the next commands. The token comes from {@code --token}, {@code --token-file} ({@code -} for standard
 * input) or {@code $KERBEX_TOKEN}; or {@code --embedded} uses the embedded default run's admin key, signing a
 * short-lived token for each command. No OIDC device or PKCE flow (yet): get the token from your identity provider.
 */
@Command(name = "login", description = "Check an admin bearer token and keep it for the next commands.")
final class LoginCommand extends Base {
    static final class Source {
        @Option(names = "--token", paramLabel = "JWT",
                description = "The token itself (visible to other local users in the process list: prefer --token-file).")
        String token;

        @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the token; - for standard input.")
        Path tokenFile;

        @Option(names = "--embedded", paramLabel = "DIR", arity = "0..1", fallbackValue = ".kerbex/admin",
                description = "The embedded default run's admin directory (default .kerbex/admin): its key signs a"
                        + " 5-minute token for each command.")
        Path embedded;
    }

    @ArgGroup(exclusive = true)
    Source source = new Source();

    @Override
    public Integer call() throws IOException {
        KerbexCli root = root();
        String token = null;
        String embeddedDir = null;
        String used;
        if (source.embedded != null) {
            embeddedDir = source.embedded.toAbsolutePath().normalize().toString();
            used = KerbexCli.embeddedToken(Path.of(embeddedDir));
        } else {
            token = source.token != null ? source.token.trim()
                    : source.tokenFile != null ? read(source.tokenFile)
                    : root.env().getOrDefault("KERBEX_TOKEN", "").trim();
            if (token.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "no token: give --token-file FILE, --token JWT, --embedded DIR"
                        + " or set KERBEX_TOKEN");
            }
            used = token;
        }
        AdminApi api = new AdminApi(root.url(), () -> used);
        JsonNode tenants = api.get("/admin/v1/tenants").body();
        String defaultTenant = root.tenant != null ? root.tenant : root.settings().tenant();
        new CliSettings(api.baseUrl(), token, embeddedDir, defaultTenant).save(root.settingsFile());
        JsonNode claims = claims(used);
        if (json()) {
            ObjectNode n = AdminApi.JSON.createObjectNode().put("url", api.baseUrl())
                    .put("subject", Output.text(claims, "sub")).put("tenant", defaultTenant);
            n.set("roles", claims.path("roles"));
            n.put("tenants", tenants.size());
            Output.json(out(), n);
        } else {
            out().printf("Logged in to %s as %s (roles: %s); %d tenant(s) visible%s.%n", api.baseUrl(),
                    Output.text(claims, "sub"), Output.text(claims, "roles"), tenants.size(),
                    defaultTenant == null ? "" : "; default tenant " + defaultTenant);
            out().printf("Settings kept in %s.%n", root.settingsFile());
        }
        return ExitCodes.OK;
    }

    private String read(Path file) throws IOException {
        byte[] bytes = file.toString().equals("-") ? System.in.readAllBytes() : readFile(file);
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The token's claims, read without verification (the API verified it), for the greeting only. */
    private static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            return AdminApi.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {
            return AdminApi.JSON.createObjectNode();
        }
    }
}
