package dev.kerbex.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.config.KerbexConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The web console's HTTP side (issue 13). Its pages are static files in the jar ({@code META-INF/resources/console/},
 * served by Quarkus); everything they do goes through the public admin API. Here only:
 * <ul>
 * <li>the console's security headers: a Content-Security-Policy that allows scripts and styles from Kerbex only (no
 * inline script or style, no eval), network calls to Kerbex and to the admin identity provider's origin (for the
 * authorization code + PKCE sign-in), no framing; {@code Referrer-Policy: no-referrer}; {@code no-cache}, so a new
 * version of the console is picked up at once;</li>
 * <li>{@code /console/config.json}: where to sign in (the issuer of {@code quarkus.oidc.auth-server-url} and the
 * console's client id), or {@code "oidc": null} when no identity provider is configured;</li>
 * <li>{@code /console} answered with a redirect to {@code /console/}.</li>
 * </ul>
 */
@ApplicationScoped
public class ConsoleRoutes {
    static final String PATH = "/console/";

    private final String csp;
    private final byte[] config;

    ConsoleRoutes(KerbexConfig kerbex, ObjectMapper json,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl) {
        Optional<String> issuer = authServerUrl.map(String::strip).filter(s -> !s.isEmpty());
        this.csp = contentSecurityPolicy(issuer.flatMap(ConsoleRoutes::origin));
        ObjectNode root = json.createObjectNode();
        if (issuer.isPresent()) {
            root.putObject("oidc").put("issuer", issuer.get()).put("client_id", kerbex.console().oidcClientId())
                    .put("scope", kerbex.console().oidcScope());
        } else {
            root.putNull("oidc");
        }
        try {
            this.config = json.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void install(@Observes Router router) {
        router.route("/console/*").order(-1900).handler(this::headers);
        // A regex: Vert.x's plain path "/console" would also take "/console/".
        router.routeWithRegex(HttpMethod.GET, "^/console$").order(-1900).handler(ctx -> ctx.response()
                .setStatusCode(301).putHeader(HttpHeaders.LOCATION, PATH).end());
        router.route(HttpMethod.GET, "/console/config.json").order(-1800).handler(this::config);
    }

    static String contentSecurityPolicy(Optional<String> identityProviderOrigin) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'" + identityProviderOrigin.map(o -> " " + o).orElse("") + "; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /** {@code scheme://host[:port]} of an http(s) URL; empty for anything else, which then gets no CSP exception. */
    static Optional<String> origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || scheme == null
                    || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
                return Optional.empty();
            }
            return Optional.of(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost()
                    + (uri.getPort() >= 0 ? ":" + uri.getPort() : ""));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private void headers(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> ctx.response().headers()
                .set("Content-Security-Policy", csp)
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set(HttpHeaders.CACHE_CONTROL, "no-cache"));
        ctx.next();
    }

    private void config(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(io.vertx.core.buffer.Buffer.buffer(config));
    }
}
