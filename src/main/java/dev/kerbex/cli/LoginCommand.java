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
 * short-lived token for each command; or {@code --device} (RFC 8628) or {@code --browser} (authorization code +
 * PKCE on a loopback redirect) signs in at the admin identity provider and keeps the access and refresh tokens.
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

        @Option(names = "--device", description = "Sign in at the admin identity provider (OIDC device authorization,"
                + " RFC 8628): open the printed address in any browser and enter the code.")
        boolean device;

        @Option(names = "--browser", description = "Sign in at the admin identity provider in a browser on this machine"
                + " (authorization code + PKCE, redirected to a one-time loopback listener).")
        boolean browser;
    }

    @Option(names = "--issuer", paramLabel = "URL", description = "With --device or --browser: the identity provider (default: the"
            + " one the service's admin API trusts, from its /console/config.json).")
    String issuer;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = "kerbex-cli",
            description = "With --device or --browser: the public client registered for the command line (default kerbex-cli).")
    String clientId;

    @Option(names = "--scope", paramLabel = "SCOPES", defaultValue = "openid",
            description = "With --device or --browser: the scopes asked for (default openid).")
    String scope;

    /** How long {@code --browser} waits for the identity provider's redirect. */
    static final java.time.Duration BROWSER_LIMIT = java.time.Duration.ofMinutes(5);

    @ArgGroup(exclusive = true)
    Source source = new Source();

    @Override
    public Integer call() throws IOException {
        KerbexCli root = root();
        String token = null;
        String embeddedDir = null;
        String used;
        OidcClient.Tokens oidc = null;
        String tokenEndpoint = null;
        if (source.device || source.browser) {
            OidcClient client = new OidcClient(clientId);
            JsonNode metadata = client.discover(issuer != null ? issuer : adminIssuer(root.url()));
            tokenEndpoint = metadata.path("token_endpoint").asText(null);
            oidc = source.device ? client.deviceLogin(metadata, scope, root.err())
                    : client.browserLogin(metadata, scope, root.err(), BROWSER_LIMIT);
            token = oidc.accessToken();
            used = token;
        } else if (source.embedded != null) {
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
        boolean refreshable = oidc != null && oidc.refreshToken() != null;
        new CliSettings(api.baseUrl(), token, embeddedDir, defaultTenant, refreshable ? oidc.refreshToken() : null,
                refreshable ? tokenEndpoint : null, refreshable ? clientId : null).save(root.settingsFile());
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

    /** The issuer the service's admin API trusts, as its console is told ({@code /console/config.json}). */
    private static String adminIssuer(String url) {
        String config = url.replaceAll("/+$", "") + "/console/config.json";
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(config)).timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            String issuer = r.statusCode() == 200 ? AdminApi.JSON.readTree(r.body()).path("oidc").path("issuer").asText(null)
                    : null;
            if (issuer == null) {
                throw new CliException(ExitCodes.USAGE, url + " names no admin identity provider (no"
                        + " quarkus.oidc.auth-server-url): give --issuer URL, or log in with --token-file");
            }
            return issuer;
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot read " + config + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }

    /**
     * The token's claims, read without verification (the API verifies it), for the greeting and to know when to
     * refresh only; an empty object for anything that is not a JWT.
     */
    static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            return AdminApi.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {
            return AdminApi.JSON.createObjectNode();
        }
    }
}
