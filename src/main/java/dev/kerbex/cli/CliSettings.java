package dev.kerbex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * What {@code kerbex login} keeps between commands, like {@code kcadm.sh}'s config file: the service URL, a bearer
 * token or the embedded admin key's directory, and a default tenant; after an OIDC login also the refresh token, the
 * provider's token endpoint and the client id that refresh the access token when it has expired. Stored as JSON, owner-only (0600), in
 * {@code --config}, else {@code $KERBEX_CLI_CONFIG}, else {@code $XDG_CONFIG_HOME/kerbex/cli.json}, else
 * {@code ~/.config/kerbex/cli.json}.
 */
record CliSettings(String url, String token, String embeddedDir, String tenant, String refreshToken,
        String tokenEndpoint, String clientId) {
    static final CliSettings EMPTY = new CliSettings(null, null, null, null);

    CliSettings(String url, String token, String embeddedDir, String tenant) {
        this(url, token, embeddedDir, tenant, null, null, null);
    }

    /** The same settings with a new access token (and refresh token) from a refresh. */
    CliSettings withTokens(String accessToken, String newRefreshToken) {
        return new CliSettings(url, accessToken, embeddedDir, tenant, newRefreshToken, tokenEndpoint, clientId);
    }

    static Path location(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit;
        }
        if (env.get("KERBEX_CLI_CONFIG") != null) {
            return Path.of(env.get("KERBEX_CLI_CONFIG"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("kerbex").resolve("cli.json");
    }

    static CliSettings load(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        try {
            JsonNode n = AdminApi.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return new CliSettings(text(n, "url"), text(n, "token"), text(n, "embedded_dir"), text(n, "tenant"),
                    text(n, "refresh_token"), text(n, "token_endpoint"), text(n, "client_id"));
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }

    void save(Path file) {
        ObjectNode n = AdminApi.JSON.createObjectNode();
        n.put("url", url);
        if (token != null) {
            n.put("token", token);
        }
        if (embeddedDir != null) {
            n.put("embedded_dir", embeddedDir);
        }
        if (tenant != null) {
            n.put("tenant", tenant);
        }
        if (refreshToken != null) {
            n.put("refresh_token", refreshToken).put("token_endpoint", tokenEndpoint).put("client_id", clientId);
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(file, AdminApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String name) {
        return n.hasNonNull(name) ? n.get(name).asText() : null;
    }
}
