package dev.kerbex.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.sun.net.httpserver.HttpServer;

/**
 * The command line as a public OAuth client of the admin identity provider: OIDC discovery, the device authorization
 * grant (RFC 8628), authorization code + PKCE on a loopback redirect (RFC 7636, RFC 8252) and refresh (RFC 6749 §6).
 * A few form posts over {@code java.net.http} and the JDK's HTTP server, so no OAuth library is added to the
 * service's class path for them. Tokens are never printed or logged.
 */
final class OidcClient {
    /** What a successful token request gives: the access token, and a refresh token when the provider issued one. */
    record Tokens(String accessToken, String refreshToken) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String clientId;

    OidcClient(String clientId) {
        this.clientId = clientId;
    }

    /** The provider's metadata ({@code /.well-known/openid-configuration} under {@code issuer}). */
    JsonNode discover(String issuer) {
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(url)).GET(), url);
        if (r.statusCode() != 200) {
            throw new CliException(ExitCodes.AUTH, "the identity provider's discovery document " + url + " answered "
                    + r.statusCode());
        }
        return json(r.body(), url);
    }

    /**
     * RFC 8628: asks for a device code, tells the admin where to enter the user code, and polls the token endpoint
     * at the provider's interval (slowed down when it says {@code slow_down}) until the admin has approved, refused,
     * or the code expired.
     */
    Tokens deviceLogin(JsonNode metadata, String scope, PrintWriter tell) {
        String deviceEndpoint = metadata.path("device_authorization_endpoint").asText(null);
        String tokenEndpoint = metadata.path("token_endpoint").asText(null);
        if (deviceEndpoint == null || tokenEndpoint == null) {
            throw new CliException(ExitCodes.AUTH, "the identity provider offers no device authorization (its"
                    + " metadata names no device_authorization_endpoint): use --browser, or --token-file");
        }
        HttpResponse<String> r = post(deviceEndpoint, form("client_id", clientId, "scope", scope));
        JsonNode device = json(r.body(), deviceEndpoint);
        if (r.statusCode() != 200 || !device.hasNonNull("device_code") || !device.hasNonNull("user_code")) {
            throw refused("the device authorization request", r.statusCode(), device);
        }
        String verification = device.path("verification_uri").asText();
        tell.printf("To sign in, open %s and enter the code %s%n", verification, device.get("user_code").asText());
        if (device.hasNonNull("verification_uri_complete")) {
            tell.printf("(or open %s)%n", device.get("verification_uri_complete").asText());
        }
        tell.println("Waiting for the sign-in to be approved...");
        tell.flush();
        Duration interval = Duration.ofSeconds(Math.max(1, device.path("interval").asInt(5)));
        Instant expires = Instant.now().plusSeconds(device.path("expires_in").asLong(600));
        Map<String, String> poll = form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", device.get("device_code").asText(), "client_id", clientId);
        while (true) {
            pause(interval);
            HttpResponse<String> answer = post(tokenEndpoint, poll);
            JsonNode body = json(answer.body(), tokenEndpoint);
            if (answer.statusCode() == 200) {
                return tokens(body, tokenEndpoint);
            }
            String error = body.path("error").asText("");
            switch (error) {
                case "authorization_pending" -> { }
                case "slow_down" -> interval = interval.plusSeconds(5); // RFC 8628 §3.5
                case "access_denied" -> throw new CliException(ExitCodes.AUTH, "the sign-in was refused at the"
                        + " identity provider (access_denied)");
                case "expired_token" -> throw new CliException(ExitCodes.AUTH, "the code expired before the sign-in"
                        + " was approved: run `kerbex login --device` again");
                default -> throw refused("the token request", answer.statusCode(), body);
            }
            if (Instant.now().isAfter(expires)) {
                throw new CliException(ExitCodes.AUTH, "the code expired before the sign-in was approved: run"
                        + " `kerbex login --device` again");
            }
        }
    }

    /**
     * Authorization code with PKCE (RFC 7636, S256) and a loopback redirect (RFC 8252 §7.3): a one-request HTTP
     * server on {@code 127.0.0.1} and a free port receives the code; the admin opens the printed address in a
     * browser on this machine. The state must come back unchanged; the code is redeemed with the verifier.
     */
    Tokens browserLogin(JsonNode metadata, String scope, PrintWriter tell, Duration limit) {
        String authorize = metadata.path("authorization_endpoint").asText(null);
        String tokenEndpoint = metadata.path("token_endpoint").asText(null);
        if (authorize == null || tokenEndpoint == null) {
            throw new CliException(ExitCodes.AUTH, "the identity provider names no authorization or token endpoint");
        }
        String verifier = random(32);
        String state = random(16);
        CompletableFuture<String> code = new CompletableFuture<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot listen on the loopback interface: " + e.getMessage());
        }
        String redirect = "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
        server.createContext("/callback", exchange -> {
            Map<String, String> q = parseQuery(exchange.getRequestURI().getRawQuery());
            String answer;
            if (!state.equals(q.get("state"))) {
                answer = "This answer does not belong to the sign-in of this command (state mismatch).";
                code.completeExceptionally(new CliException(ExitCodes.AUTH, "the sign-in answer does not belong to"
                        + " this login (state mismatch): try again"));
            } else if (q.containsKey("error")) {
                answer = "The identity provider answered " + q.get("error") + ".";
                code.completeExceptionally(new CliException(ExitCodes.AUTH, "the identity provider answered "
                        + q.get("error") + (q.containsKey("error_description") ? ": " + q.get("error_description") : "")));
            } else {
                answer = "Signed in: you can close this tab and return to the command line.";
                code.complete(q.getOrDefault("code", ""));
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> ask = form("response_type", "code", "client_id", clientId, "redirect_uri", redirect,
                    "scope", scope, "state", state, "code_challenge", challenge(verifier), "code_challenge_method", "S256");
            tell.printf("To sign in, open this address in a browser on this machine:%n%s%s%n", authorize,
                    (authorize.contains("?") ? "&" : "?") + AdminApi.query(ask).substring(1));
            tell.println("Waiting for the sign-in...");
            tell.flush();
            String received;
            try {
                received = code.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new CliException(ExitCodes.AUTH, "no sign-in within " + limit.toMinutes() + " minutes: run"
                        + " `kerbex login --browser` again");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof CliException c ? c : new CliException(ExitCodes.ERROR, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.ERROR, "interrupted while waiting for the sign-in");
            }
            HttpResponse<String> r = post(tokenEndpoint, form("grant_type", "authorization_code", "code", received,
                    "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier));
            JsonNode body = json(r.body(), tokenEndpoint);
            if (r.statusCode() != 200) {
                throw refused("the authorization code", r.statusCode(), body);
            }
            return tokens(body, tokenEndpoint);
        } finally {
            server.stop(0);
        }
    }

    /** Form parameters in the order given: name, value, name, value, ... */
    private static Map<String, String> form(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    /** RFC 6749 §6; a provider that does not rotate refresh tokens keeps the old one valid. */
    Tokens refresh(String tokenEndpoint, String refreshToken) {
        HttpResponse<String> r = post(tokenEndpoint, form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", clientId));
        JsonNode body = json(r.body(), tokenEndpoint);
        if (r.statusCode() != 200) {
            if ("invalid_grant".equals(body.path("error").asText())) {
                throw new CliException(ExitCodes.AUTH, "the sign-in expired (the identity provider refused the"
                        + " refresh token): run `kerbex login` again");
            }
            throw refused("refreshing the token", r.statusCode(), body);
        }
        Tokens t = tokens(body, tokenEndpoint);
        return t.refreshToken() != null ? t : new Tokens(t.accessToken(), refreshToken);
    }

    private static Tokens tokens(JsonNode body, String endpoint) {
        if (!body.hasNonNull("access_token")) {
            throw new CliException(ExitCodes.AUTH, endpoint + " answered without an access_token");
        }
        return new Tokens(body.get("access_token").asText(), body.path("refresh_token").asText(null));
    }

    private static CliException refused(String what, int status, JsonNode body) {
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("");
        return new CliException(ExitCodes.AUTH, "the identity provider refused " + what + " (" + status
                + (error.isEmpty() ? "" : " " + error) + (description.isEmpty() ? "" : ": " + description) + ")");
    }

    private HttpResponse<String> post(String url, Map<String, String> form) {
        String body = AdminApi.query(form).substring(1);
        return send(HttpRequest.newBuilder(uri(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), url);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String url) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach the identity provider at " + url + ": "
                    + (e instanceof java.net.ConnectException ? "connection refused" : String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }

    private static URI uri(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || !u.getScheme().matches("(?i)https?")) {
                throw new IllegalArgumentException(url);
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "not an http(s) URL: " + url);
        }
    }

    private static JsonNode json(String body, String ignoredUrl) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : AdminApi.JSON.readTree(body);
            return n != null ? n : AdminApi.JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return AdminApi.JSON.createObjectNode(); // not JSON: described by its status alone
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted while waiting for the sign-in");
        }
    }
}
