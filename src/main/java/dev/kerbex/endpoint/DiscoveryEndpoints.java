package dev.kerbex.endpoint;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.exchange.TokenExchange;
import dev.kerbex.jose.JwsAlgorithms;
import dev.kerbex.jwt.SigningKeys;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.directory.TenantDirectory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** JWKS and RFC 8414 metadata of each tenant. */
@Path("/")
public class DiscoveryEndpoints {
    private final TenantDirectory tenants;
    private final SigningKeys keys;
    private final IssuerUrls urls;
    private final TokenExchange exchange;
    private final KerbexConfig config;
    private final List<String> authMethods;
    private final boolean mutualTls;

    /** @param clientAuth {@code quarkus.http.ssl.client-auth}: RFC 8705 is advertised when certificates are asked for */
    public DiscoveryEndpoints(TenantDirectory tenants, SigningKeys keys, IssuerUrls urls, TokenExchange exchange,
            KerbexConfig config,
            @ConfigProperty(name = "quarkus.http.ssl.client-auth", defaultValue = "none") String clientAuth) {
        this.tenants = tenants;
        this.keys = keys;
        this.urls = urls;
        this.exchange = exchange;
        this.config = config;
        this.mutualTls = !"none".equalsIgnoreCase(clientAuth);
        this.authMethods = mutualTls
                ? List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth",
                        "self_signed_tls_client_auth")
                : List.of("client_secret_basic", "client_secret_post", "private_key_jwt");
    }

    /** The JWK Set: the active key and retired keys whose tokens may still be valid (SPEC §9). */
    @GET
    @Path("tenants/{tenant}/oauth2/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks(@PathParam("tenant") String tenant) {
        requireTenant(tenant);
        String body = "{\"keys\":[" + String.join(",", keys.publishedJwks(tenant)) + "]}";
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300").build();
    }

    /** RFC 8414 §3, path insertion form. */
    @GET
    @Path(".well-known/oauth-authorization-server/tenants/{tenant}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata(@PathParam("tenant") String tenant) {
        requireTenant(tenant);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", urls.issuer(tenant));
        m.put("token_endpoint", urls.endpoint(tenant, "token"));
        m.put("jwks_uri", urls.endpoint(tenant, "jwks"));
        m.put("grant_types_supported", List.of("urn:ietf:params:oauth:grant-type:token-exchange"));
        m.put("response_types_supported", List.of());
        List<String> assertionAlgs = JwsAlgorithms.CLIENT_ASSERTIONS.stream().sorted().toList();
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        m.put("introspection_endpoint", urls.endpoint(tenant, "introspect"));
        m.put("introspection_endpoint_auth_methods_supported", authMethods);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        m.put("revocation_endpoint", urls.endpoint(tenant, "revoke"));
        m.put("revocation_endpoint_auth_methods_supported", authMethods);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        m.put("dpop_signing_alg_values_supported", JwsAlgorithms.DPOP_PROOFS.stream().sorted().toList());
        m.put("subject_token_types_supported", exchange.acceptedTokenTypes());
        m.put("actor_token_types_supported", exchange.acceptedTokenTypes());
        m.put("requested_token_types_supported", exchange.issuedTokenTypes());
        m.put("access_token_signing_alg_values_supported", List.of(config.tokens().signingAlgorithm()));
        m.put("kerbex_negotiate_supported", true);
        if (mutualTls) {
            // RFC 8705 §3.3; the endpoints are the same with and without a certificate: no mtls_endpoint_aliases.
            m.put("tls_client_certificate_bound_access_tokens", true);
        }
        return m;
    }

    /** The same document where a tenant-relative client looks for it. */
    @GET
    @Path("tenants/{tenant}/.well-known/oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadataTenantRelative(@PathParam("tenant") String tenant) {
        return metadata(tenant);
    }

    private void requireTenant(String tenant) {
        if (tenants.find(tenant).isEmpty()) {
            throw new NotFoundException();
        }
    }
}
