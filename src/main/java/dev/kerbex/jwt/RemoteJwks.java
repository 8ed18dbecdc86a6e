package dev.kerbex.jwt;

import dev.kerbex.jose.PublicJwks;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.kerbex.observability.JwksStatus;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The keys of trusted external issuers, fetched from their {@code jwks_uri} and cached per URI.
 *
 * <ul>
 * <li>Keys are kept for {@link #CACHED_FOR}; an unknown {@code kid} refetches them earlier (a rotation at the
 * issuer), but no URI is fetched more than once per {@link #FETCH_AT_MOST_EVERY}, failed attempts included: a
 * flood of tokens with invented key ids, or a dead issuer, costs the issuer one request per interval.</li>
 * <li>A fetch has {@link #TIMEOUT} to connect and {@link #TIMEOUT} to answer, must answer 200 with a JSON media
 * type and at most {@link #MAX_BYTES}; redirects are not followed. {@code https} is required except towards a
 * loopback address.</li>
 * <li>When no keys can be had (the fetch failed and none are cached), {@link UnavailableException} says why; the
 * caller answers 503. Keys past {@link #CACHED_FOR} are not used when a refetch fails: a key the issuer withdrew
 * must stop working.</li>
 * </ul>
 */
class RemoteJwks {
    private static final Logger LOG = Logger.getLogger(RemoteJwks.class);

    static final Duration CACHED_FOR = Duration.ofMinutes(10);
    static final Duration FETCH_AT_MOST_EVERY = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_BYTES = 64 * 1024;

    /** The keys could not be fetched; the message names the URI and the cause, never a token. */
    static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /** One URI's state. {@code keys} null until a fetch succeeded; {@code failure} the last attempt's, if it failed. */
    private static final class Entry {
        Instant attemptedAt;
        Instant fetchedAt;
        Map<String, PublicJsonWebKey> keys;
        String failure;
    }

    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private final JwksStatus status;

    RemoteJwks(Clock clock, JwksStatus status) {
        this.clock = clock;
        this.status = status;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The key {@code kid} published at {@code jwksUri}, or null when the issuer does not publish it (after at most
     * one refetch).
     *
     * @throws UnavailableException when the issuer's keys cannot be had at all
     */
    PublicJsonWebKey key(String jwksUri, String kid) {
        Entry e = entries.computeIfAbsent(jwksUri, u -> new Entry());
        synchronized (e) {
            Instant now = clock.instant();
            boolean fresh = e.keys != null && now.isBefore(e.fetchedAt.plus(CACHED_FOR));
            if (fresh && e.keys.containsKey(kid)) {
                return e.keys.get(kid);
            }
            boolean mayFetch = e.attemptedAt == null || !now.isBefore(e.attemptedAt.plus(FETCH_AT_MOST_EVERY));
            if (mayFetch) {
                e.attemptedAt = now;
                try {
                    e.keys = fetch(jwksUri);
                    e.fetchedAt = now;
                    e.failure = null;
                    fresh = true;
                    status.fetched(jwksUri, now);
                } catch (UnavailableException ex) {
                    e.failure = ex.getMessage();
                    status.failed(jwksUri, now, ex.getMessage());
                    fresh = false; // the cached keys lack this kid and the issuer could not be asked: 503, not a refusal
                    LOG.warnf("trusted issuer keys: %s", ex.getMessage());
                }
            }
            if (!fresh) {
                throw new UnavailableException(e.failure != null ? e.failure
                        : "JWKS " + jwksUri + " not fetched: cached keys expired and refetch is rate-bounded");
            }
            return e.keys.get(kid);
        }
    }

    /** How many URIs have state here (for tests). */
    int size() {
        return entries.size();
    }

    private Map<String, PublicJsonWebKey> fetch(String jwksUri) {
        URI uri;
        try {
            uri = URI.create(jwksUri);
        } catch (IllegalArgumentException ex) {
            throw new UnavailableException("JWKS " + jwksUri + ": not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback(uri.getHost()))) {
            throw new UnavailableException("JWKS " + jwksUri + ": https required (http only towards loopback)");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException ex) {
            throw new UnavailableException("JWKS " + jwksUri + ": fetch failed: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : " " + ex.getMessage()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("JWKS " + jwksUri + ": fetch interrupted");
        }
        String body;
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new UnavailableException("JWKS " + jwksUri + ": HTTP " + response.statusCode());
            }
            String type = response.headers().firstValue("Content-Type").orElse("")
                    .split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json") && !type.equals("application/jwk-set+json")) {
                throw new UnavailableException("JWKS " + jwksUri + ": content type '" + type + "' is not JSON");
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new UnavailableException("JWKS " + jwksUri + ": larger than " + MAX_BYTES + " bytes");
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UnavailableException("JWKS " + jwksUri + ": reading failed: " + ex.getMessage());
        }
        JsonWebKeySet set;
        try {
            set = new JsonWebKeySet(body);
        } catch (JoseException | RuntimeException ex) {
            throw new UnavailableException("JWKS " + jwksUri + ": not a JWK set: " + ex.getMessage());
        }
        Map<String, PublicJsonWebKey> byKid = new LinkedHashMap<>();
        for (PublicJsonWebKey k : PublicJwks.signatureKeys(set)) {
            if (k.getKeyId() != null) {
                byKid.putIfAbsent(k.getKeyId(), k); // keys without an id cannot be selected
            }
        }
        return Map.copyOf(byKid);
    }

    private static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only IP literals are parsed (no DNS lookup): 127.0.0.1, [::1].
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException ex) {
            return false;
        }
    }
}
