package dev.kerbex.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API (SPEC §8, openapi.yaml) over {@code java.net.http}: JSON in and out, the bearer token on every
 * request, and every non-2xx answer turned into a {@link CliException} whose message is the problem document
 * (RFC 9457) made readable, with each invalid field on a line of its own.
 */
final class AdminApi {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, {@code ETag} without quotes (or null), and the JSON body (or null). */
    record Answer(int status, String etag, JsonNode body) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Supplier<String> token;

    AdminApi(String baseUrl, Supplier<String> token) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** {@code /admin/v1/tenants/{tenant}} followed by {@code parts}, each one path segment, encoded. */
    static String tenantPath(String tenant, String... parts) {
        StringBuilder p = new StringBuilder("/admin/v1/tenants/").append(segment(tenant));
        for (String part : parts) {
            p.append('/').append(segment(part));
        }
        return p.toString();
    }

    static String query(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> {
            if (v != null) {
                pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    Answer get(String path) {
        return send("GET", path, null, null);
    }

    Answer post(String path, JsonNode body) {
        return send("POST", path, body, null);
    }

    Answer put(String path, JsonNode body, String ifMatch) {
        return send("PUT", path, body, ifMatch);
    }

    Answer delete(String path, String ifMatch) {
        return send("DELETE", path, null, ifMatch);
    }

    /** POST without a body, with an optional {@code If-Match} (restore, rotate). */
    Answer postEmpty(String path, String ifMatch) {
        return send("POST", path, null, ifMatch);
    }

    private Answer send(String method, String path, JsonNode body, String ifMatch) {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "not a URL: " + baseUrl + path);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + token.get());
        if (ifMatch != null) {
            request.header("If-Match", "\"" + ifMatch + "\"");
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused"
                    : e instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach " + baseUrl + ": " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String etag = response.headers().firstValue("ETag").map(t -> t.replace("\"", "")).orElse(null);
            return new Answer(status, etag, json);
        }
        throw new CliException(ExitCodes.forStatus(status), describe(method, path, status, json), json);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null; // not JSON (a proxy's page): described by its status alone
        }
    }

    /** {@code 400 Invalid request body: 2 invalid fields} and one line per field error. */
    static String describe(String method, String path, int status, JsonNode problem) {
        if (status == 401) {
            return "401 Unauthorized: no valid admin token (expired, or not signed by a key this service trusts);"
                    + " run `kerbex login`";
        }
        StringBuilder s = new StringBuilder().append(status);
        if (problem != null && problem.hasNonNull("title")) {
            s.append(' ').append(problem.get("title").asText());
        } else {
            s.append(" from ").append(method).append(' ').append(path);
        }
        if (problem != null && problem.hasNonNull("detail")) {
            s.append(": ").append(problem.get("detail").asText());
        }
        if (problem != null && problem.path("errors").isArray()) {
            for (JsonNode e : problem.get("errors")) {
                s.append("\n  ").append(e.path("pointer").asText()).append(": ").append(e.path("detail").asText());
            }
        }
        return s.toString();
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
