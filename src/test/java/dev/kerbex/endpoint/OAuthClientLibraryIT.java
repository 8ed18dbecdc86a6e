package dev.kerbex.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.kerbex.embedded.EmbeddedDatabase;
import dev.kerbex.testing.KerbexProcess;
import dev.kerbex.testing.TestJwksServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5 "as a new user would": the packaged service driven only through a general-purpose OAuth 2.0 client library
 * nobody here wrote (the Nimbus OAuth 2.0 SDK: RFC 8414 discovery, RFC 8693 token exchange, RFC 7662 introspection,
 * RFC 7009 revocation, RFC 7523 {@code private_key_jwt}, RFC 9449 DPoP proofs), with Nimbus JOSE for keys, for the
 * external identity provider's tokens and for verifying what Kerbex issues against the JWKS the metadata names.
 *
 * <p>The tenant {@code lib}: users hold tokens of an external IdP (a trusted issuer whose JWKS {@link TestJwksServer}
 * serves). {@code api-1} (client secret) exchanges a user's token for {@code api-2} by impersonation; {@code api-2}
 * ({@code private_key_jwt} only) exchanges that for {@code api-3} with its own service identity as actor;
 * {@code api-3} (client secret) does the same for {@code api-4}. Every endpoint URL comes from the discovered
 * metadata.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OAuthClientLibraryIT {
    static final String TENANT = "lib";
    static final String API_1 = "api-1";
    static final String API_1_SECRET = "api-1-secret-0123456789";
    static final String API_2 = "api-2";
    static final String API_3 = "api-3";
    static final String API_3_SECRET = "api-3-secret-0123456789";
    static final String API_2_AUD = "https://api-2.example.test";
    static final String API_3_AUD = "https://api-3.example.test";
    static final String API_4_AUD = "https://api-4.example.test";
    static final String DPOP_AUD = "https://dpop.example.test";
    static final String ALICE = "alice@corp.example.test";
    static final String SVC_API_2 = "svc-api-2";
    static final String SVC_API_3 = "svc-api-3";

    static EmbeddedDatabase db;
    static TestJwksServer idp;
    static ECKey idpKey;
    static ECKey api2Key;
    static KerbexProcess kerbex;
    static String issuer;
    static AuthorizationServerMetadata metadata;
    static DefaultJWTProcessor<SecurityContext> resourceServer;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (mvn package runs before failsafe)").exists();
        db = EmbeddedDatabase.startTemporary();
        idp = TestJwksServer.start();
        idpKey = new ECKeyGenerator(Curve.P_256).keyID("idp-1").algorithm(JWSAlgorithm.ES256).generate();
        idp.answer("/idp/jwks", TestJwksServer.Answer.json(new JWKSet(idpKey.toPublicJWK()).toString()));
        api2Key = new ECKeyGenerator(Curve.P_256).keyID("api-2-key").algorithm(JWSAlgorithm.ES256).generate();

        // The port is chosen first: the delegation policies accept only subject tokens of the tenant itself, so the
        // bootstrap file names the tenant's issuer URL.
        int port = KerbexProcess.freePort();
        issuer = "http://127.0.0.1:" + port + "/tenants/" + TENANT;
        Path bootstrap = Files.createDirectories(Path.of("target", "oauth-library-it")).resolve("tenants.json");
        Files.writeString(bootstrap, bootstrapFile(), StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        kerbex = KerbexProcess.start("oauth-library-it", port, Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                "kerbex.bootstrap-file", bootstrap.toAbsolutePath().toString(),
                "kerbex.key-encryption-key", Base64.getEncoder().encodeToString(kek),
                "kerbex.demo.enabled", "false"));
        assertThat(kerbex.baseUrl() + "/tenants/" + TENANT).isEqualTo(issuer);

        // RFC 8414 discovery by the library: it reads <issuer>/.well-known/oauth-authorization-server (the
        // tenant-relative form) and checks that the document names the issuer it was asked for.
        metadata = AuthorizationServerMetadata.resolve(new Issuer(issuer));

        // A resource server's verifier, built from the metadata's jwks_uri with Nimbus JOSE: at+jwt, ES256, iss.
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(false)
                .refreshAheadCache(false).build();
        resourceServer = new DefaultJWTProcessor<>();
        resourceServer.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        resourceServer.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kerbex != null) {
            kerbex.close();
        }
        if (idp != null) {
            idp.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static String bootstrapFile() {
        String jwtTypes = "\"urn:ietf:params:oauth:token-type:jwt\", \"urn:ietf:params:oauth:token-type:access_token\"";
        return """
                {"tenants": [{"id": "%1$s", "realms": ["CORP.EXAMPLE.TEST"], "max_token_lifetime": "PT1H",
                  "clients": [
                    {"client_id": "api-1", "secret": "%2$s"},
                    {"client_id": "api-2", "jwks": {"keys": [%3$s]}, "audiences": ["https://api-2.example.test"]},
                    {"client_id": "api-3", "secret": "%4$s", "audiences": ["https://api-3.example.test"]}
                  ],
                  "trusted_issuers": [{"issuer": "%5$s", "jwks_uri": "%6$s", "algorithms": ["ES256"]}],
                  "policies": [
                    {"name": "api-2-on-behalf-of-users", "effect": "allow", "priority": 100,
                     "match": {"clients": ["api-1"], "subject_token_types": [%7$s], "issuers": ["%5$s"],
                               "subjects": ["*@corp.example.test"], "audiences": ["https://api-2.example.test"]},
                     "grant": {"scopes": ["orders:read", "orders:write"], "default_scopes": ["orders:read"],
                               "max_lifetime": "PT10M"}},
                    {"name": "api-3-delegated-by-api-2", "effect": "allow", "priority": 100,
                     "match": {"clients": ["api-2"], "subject_token_types": [%7$s], "issuers": ["%8$s"],
                               "audiences": ["https://api-3.example.test"], "actors": ["svc-api-2", "%5$s#svc-api-2"]},
                     "grant": {"scopes": ["orders:read", "orders:write"], "default_scopes": ["orders:read"],
                               "max_lifetime": "PT5M"}},
                    {"name": "api-4-delegated-by-api-3", "effect": "allow", "priority": 100,
                     "match": {"clients": ["api-3"], "subject_token_types": [%7$s], "issuers": ["%8$s"],
                               "audiences": ["https://api-4.example.test"], "actors": ["%5$s#svc-api-3"]},
                     "grant": {"scopes": ["orders:read"], "default_scopes": ["orders:read"], "max_lifetime": "PT5M"}},
                    {"name": "api-2-own-token", "effect": "allow", "priority": 100,
                     "match": {"clients": ["api-2"], "subject_token_types": [%7$s], "issuers": ["%5$s"],
                               "subjects": ["svc-api-2"], "audiences": ["https://api-2.example.test"]},
                     "grant": {"scopes": ["orders:read"], "default_scopes": ["orders:read"], "max_lifetime": "PT5M"}},
                    {"name": "dpop-bound", "effect": "allow", "priority": 100,
                     "match": {"clients": ["api-1"], "issuers": ["%5$s"], "audiences": ["https://dpop.example.test"]},
                     "grant": {"scopes": ["orders:read"], "default_scopes": ["orders:read"], "require_dpop": true}}
                  ]}]}
                """.formatted(TENANT, API_1_SECRET, api2Key.toPublicJWK().toJSONString(), API_3_SECRET,
                idp.url("/idp"), idp.url("/idp/jwks"), jwtTypes, issuer);
    }

    // ---------------------------------------------------------------- discovery

    @Test
    void metadataWhenResolvedByTheLibraryThenItAdvertisesWhatTheseTestsUse() throws Exception {
        assertThat(metadata.getIssuer()).isEqualTo(new Issuer(issuer));
        assertThat(metadata.getTokenEndpointURI()).isEqualTo(URI.create(issuer + "/oauth2/token"));
        assertThat(metadata.getIntrospectionEndpointURI()).isEqualTo(URI.create(issuer + "/oauth2/introspect"));
        assertThat(metadata.getRevocationEndpointURI()).isEqualTo(URI.create(issuer + "/oauth2/revoke"));
        assertThat(metadata.getJWKSetURI()).isEqualTo(URI.create(issuer + "/oauth2/jwks"));
        assertThat(metadata.getGrantTypes()).contains(GrantType.TOKEN_EXCHANGE);
        assertThat(metadata.getTokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(metadata.getTokenEndpointJWSAlgs()).contains(JWSAlgorithm.ES256);
        assertThat(metadata.getIntrospectionEndpointAuthMethods()).contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(metadata.getRevocationEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        assertThat(metadata.getDPoPJWSAlgs()).contains(JWSAlgorithm.ES256);
        assertThat(metadata.getCustomParameters().get("subject_token_types_supported").toString())
                .contains(TokenTypeURI.JWT.toString(), TokenTypeURI.ACCESS_TOKEN.toString());

        // RFC 8414 §3's own form (path inserted after the host) serves the same document.
        HTTPResponse inserted = new HTTPRequest(HTTPRequest.Method.GET,
                URI.create(kerbex.baseUrl() + "/.well-known/oauth-authorization-server/tenants/" + TENANT)).send();
        assertThat(inserted.getStatusCode()).isEqualTo(200);
        assertThat(AuthorizationServerMetadata.parse(inserted.getBodyAsJSONObject()).toJSONObject())
                .isEqualTo(metadata.toJSONObject());
    }

    // ---------------------------------------------------------------- delegation chain

    @Test
    void delegationChainWhenTwoHopsAndAThirdThenActNestsAndScopeNeverWidens() throws Exception {
        // Hop 0 → 1: api-1 impersonates alice towards api-2 (no actor), asking for less than her token holds.
        AccessTokenResponse hop1 = success(send(exchangeRequest(basic(API_1, API_1_SECRET),
                userToken("orders:read orders:write"), null, API_2_AUD, new Scope("orders:read"))));
        assertThat(hop1.getTokens().getAccessToken().getType()).isEqualTo(AccessTokenType.BEARER);
        assertThat(hop1.getTokens().getAccessToken().getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
        assertThat(hop1.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("orders:read"));
        JWTClaimsSet c1 = verify(hop1, API_2_AUD);
        assertThat(c1.getSubject()).isEqualTo(ALICE);
        assertThat(c1.getStringClaim("client_id")).isEqualTo(API_1);
        assertThat(c1.getStringClaim("scope")).isEqualTo("orders:read");
        assertThat(c1.getClaim("act")).as("impersonation names no actor").isNull();

        // Hop 1 → 2: api-2 (private_key_jwt) delegates as svc-api-2 towards api-3, asking for a JWT.
        TokenExchangeGrant grant2 = new TokenExchangeGrant(hop1.getTokens().getAccessToken(), TokenTypeURI.ACCESS_TOKEN,
                serviceToken(SVC_API_2, API_2), TokenTypeURI.JWT, TokenTypeURI.JWT, List.of(new Audience(API_3_AUD)));
        AccessTokenResponse hop2 = success(send(new TokenRequest.Builder(metadata.getTokenEndpointURI(),
                privateKeyJwt(metadata.getTokenEndpointURI()), grant2).build()));
        assertThat(hop2.getTokens().getAccessToken().getIssuedTokenType()).isEqualTo(TokenTypeURI.JWT);
        JWTClaimsSet c2 = verify(hop2, API_3_AUD);
        assertThat(c2.getSubject()).isEqualTo(ALICE);
        assertThat(c2.getStringClaim("client_id")).isEqualTo(API_2);
        assertThat(c2.getStringClaim("scope")).isEqualTo("orders:read");
        Map<String, Object> act2 = Map.of("sub", SVC_API_2, "iss", idp.url("/idp"));
        assertThat(c2.getJSONObjectClaim("act")).isEqualTo(act2);
        assertThat(c2.getExpirationTime()).isBeforeOrEqualTo(c1.getExpirationTime());

        // Hop 2 → 3: api-3 delegates as svc-api-3 towards api-4, naming it as an RFC 8707 resource this time;
        // api-2's delegation stays nested inside.
        TokenExchangeGrant grant3 = new TokenExchangeGrant(hop2.getTokens().getAccessToken(), TokenTypeURI.ACCESS_TOKEN,
                serviceToken(SVC_API_3, API_3), TokenTypeURI.JWT, null, null);
        AccessTokenResponse hop3 = success(new TokenRequest.Builder(metadata.getTokenEndpointURI(),
                basic(API_3, API_3_SECRET), grant3).resources(URI.create(API_4_AUD)).build().toHTTPRequest().send());
        JWTClaimsSet c3 = verify(hop3, API_4_AUD);
        assertThat(c3.getSubject()).isEqualTo(ALICE);
        assertThat(c3.getStringClaim("client_id")).isEqualTo(API_3);
        assertThat(c3.getStringClaim("scope")).isEqualTo("orders:read");
        assertThat(c3.getJSONObjectClaim("act"))
                .isEqualTo(Map.of("sub", SVC_API_3, "iss", idp.url("/idp"), "act", act2));

        // The resource server behind api-3 introspects the hop-2 token (minted for its audience): act included.
        TokenIntrospectionSuccessResponse seen = introspect(basic(API_3, API_3_SECRET),
                hop2.getTokens().getAccessToken());
        assertThat(seen.isActive()).isTrue();
        assertThat(seen.getSubject().getValue()).isEqualTo(ALICE);
        assertThat(seen.getClientID()).isEqualTo(new ClientID(API_2));
        assertThat(seen.getAudience()).containsExactly(new Audience(API_3_AUD));
        assertThat(seen.getScope()).isEqualTo(new Scope("orders:read"));
        assertThat(seen.getTokenType()).isEqualTo(AccessTokenType.BEARER);
        assertThat(seen.getJSONObjectParameter("act")).isEqualTo(act2);
    }

    @Test
    void delegationWhenTheActorTokenIsTheClientsOwnKerbexTokenThenActNamesTheTenantAsItsIssuer() throws Exception {
        // api-2 first gets its own token from Kerbex (its IdP identity exchanged for its own audience) ...
        Token own = success(send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()),
                serviceToken(SVC_API_2, API_2), null, API_2_AUD, null))).getTokens().getAccessToken();

        // ... and presents it as the actor token of the delegation.
        AccessTokenResponse hop2 = success(send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()),
                hop1Token("orders:read"), own, API_3_AUD, null)));

        JWTClaimsSet c2 = verify(hop2, API_3_AUD);
        assertThat(c2.getSubject()).isEqualTo(ALICE);
        assertThat(c2.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", SVC_API_2, "iss", issuer));
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void exchangeWhenScopeWiderThanTheSubjectTokenThenInvalidScopeAndAMixedRequestIsNarrowed() throws Exception {
        Token hop1 = hop1Token("orders:read");

        // orders:write: the policy allows it and alice's IdP token held it, but the subject token does not.
        assertError(send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()), hop1,
                serviceToken(SVC_API_2, API_2), API_3_AUD, new Scope("orders:write"))), 400, "invalid_scope",
                "scope: none of the requested scopes can be granted");

        AccessTokenResponse narrowed = success(send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()), hop1,
                serviceToken(SVC_API_2, API_2), API_3_AUD, new Scope("orders:read", "orders:write"))));
        assertThat(narrowed.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("orders:read"));
        assertThat(verify(narrowed, API_3_AUD).getStringClaim("scope")).isEqualTo("orders:read");
    }

    @Test
    void delegationWhenThePolicyDoesNotNameTheActorThenRefused() throws Exception {
        HTTPResponse r = send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()), hop1Token("orders:read"),
                serviceToken("svc-intruder", API_2), API_3_AUD, null));

        assertError(r, 400, "invalid_request", "subject_token: no policy permits this exchange");
        assertThat(auditRow(r).orElseThrow()).containsEntry("outcome", "refused").containsEntry("client_id", API_2);
    }

    @Test
    void delegationWhenNoActorWherePolicyGrantsOnlyDelegationThenRefused() throws Exception {
        // api-2 may reach api-3 only as a delegate: impersonation is a distinct right.
        assertError(send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()), hop1Token("orders:read"), null,
                API_3_AUD, null)), 400, "invalid_request", "subject_token: no policy permits this exchange");
    }

    @Test
    void exchangeWhenTokenOfAnUntrustedIssuerThenInvalidRequest() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("idp-1").algorithm(JWSAlgorithm.ES256).generate();
        String token = sign(stranger, claims("https://untrusted.example.test", ALICE, API_1, "orders:read"));

        HTTPResponse r = send(exchangeRequest(basic(API_1, API_1_SECRET), new TypelessToken(token), null, API_2_AUD,
                null));

        assertError(r, 400, "invalid_request", "subject_token: JWT issuer is not trusted by this tenant");
        assertThat(auditRow(r).orElseThrow().get("reason").toString()).contains("iss https://untrusted.example.test");
    }

    @Test
    void revocationWhenSubjectRevokedThenIntrospectionInactiveAndExchangeRefused() throws Exception {
        Token hop1 = hop1Token("orders:read");
        assertThat(introspect(basic(API_1, API_1_SECRET), hop1).isActive()).isTrue();

        // api-1 revokes the token issued to it (RFC 7009, with the library's request: token_type_hint access_token).
        HTTPResponse revoked = new TokenRevocationRequest(metadata.getRevocationEndpointURI(),
                basic(API_1, API_1_SECRET), new BearerAccessToken(hop1.getValue())).toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).as(revoked.getBody()).isEqualTo(200);
        assertThat(auditRow(revoked).orElseThrow()).containsEntry("kind", "revocation")
                .containsEntry("outcome", "success").containsEntry("reason", "revoked");

        // Introspection by the issuing client (client_secret_post this time), and by api-2 (private_key_jwt for the
        // introspection endpoint).
        assertThat(introspect(new ClientSecretPost(new ClientID(API_1), new Secret(API_1_SECRET)), hop1).isActive())
                .isFalse();
        TokenIntrospectionSuccessResponse byApi2 = introspect(privateKeyJwt(metadata.getIntrospectionEndpointURI()),
                hop1);
        assertThat(byApi2.isActive()).isFalse();
        assertThat(byApi2.toJSONObject()).isEqualTo(Map.of("active", false));

        HTTPResponse r = send(exchangeRequest(privateKeyJwt(metadata.getTokenEndpointURI()), hop1,
                serviceToken(SVC_API_2, API_2), API_3_AUD, null));
        assertError(r, 400, "invalid_request", "subject_token: token has been revoked");
    }

    @Test
    void revocationWhenTokenIssuedToAnotherClientThenUnauthorizedClient() throws Exception {
        // The hop-1 token was issued to api-1; api-3 holds nothing that lets it revoke it.
        HTTPResponse r = new TokenRevocationRequest(metadata.getRevocationEndpointURI(), basic(API_3, API_3_SECRET),
                new BearerAccessToken(hop1Token("orders:read").getValue())).toHTTPRequest().send();

        assertError(r, 400, "unauthorized_client", "token: was not issued to this client");
    }

    // ---------------------------------------------------------------- proof of possession and client assertions

    @Test
    void dpopWhenProofFromTheLibraryThenTokenBoundToItsKeyAndAReplayedProofRefused() throws Exception {
        ECKey dpopKey = new ECKeyGenerator(Curve.P_256).keyID("dpop").generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        URI tokenEndpoint = metadata.getTokenEndpointURI();

        // The policy requires a proof.
        assertError(send(exchangeRequest(basic(API_1, API_1_SECRET), userToken("orders:read"), null, DPOP_AUD, null)),
                400, "invalid_request", "DPoP: this exchange requires a DPoP proof (RFC 9449)");

        SignedJWT proof = proofs.createDPoPJWT("POST", tokenEndpoint);
        HTTPRequest bound = exchangeRequest(basic(API_1, API_1_SECRET), userToken("orders:read"), null, DPOP_AUD, null)
                .toHTTPRequest();
        bound.setDPoP(proof);
        AccessTokenResponse issued = success(bound.send());
        assertThat(issued.getTokens().getAccessToken().getType()).isEqualTo(AccessTokenType.DPOP);
        assertThat(issued.getTokens().getDPoPAccessToken()).isNotNull();
        JWTClaimsSet claims = verify(issued, DPOP_AUD);
        JWKThumbprintConfirmation cnf = JWKThumbprintConfirmation.parse(claims);
        assertThat(cnf).isEqualTo(JWKThumbprintConfirmation.of(dpopKey));
        assertThat(cnf.getValue()).isEqualTo(dpopKey.computeThumbprint());
        TokenIntrospectionSuccessResponse seen = introspect(basic(API_1, API_1_SECRET),
                issued.getTokens().getAccessToken());
        assertThat(seen.getTokenType()).isEqualTo(AccessTokenType.DPOP);
        assertThat(seen.getJWKThumbprintConfirmation()).isEqualTo(cnf);

        // The same proof again, on an otherwise good request.
        HTTPRequest replay = exchangeRequest(basic(API_1, API_1_SECRET), userToken("orders:read"), null, DPOP_AUD, null)
                .toHTTPRequest();
        replay.setDPoP(proof);
        HTTPResponse r = replay.send();
        assertError(r, 400, "invalid_dpop_proof", "DPoP: proof replayed");
        assertThat(auditRow(r).orElseThrow()).containsEntry("outcome", "refused")
                .containsEntry("error", "invalid_dpop_proof");
    }

    @Test
    void privateKeyJwtWhenTheSameAssertionJtiIsUsedTwiceThenInvalidClient() throws Exception {
        Instant now = Instant.now();
        JWTAuthenticationClaimsSet assertionClaims = new JWTAuthenticationClaimsSet(new ClientID(API_2),
                List.of(new Audience(metadata.getTokenEndpointURI())), Date.from(now.plusSeconds(120)), null,
                Date.from(now), new JWTID("api-2-assertion-" + UUID.randomUUID()));
        // Two assertions with one jti: their ECDSA signatures differ, the replay check is on the jti.
        PrivateKeyJWT first = new PrivateKeyJWT(assertionClaims, JWSAlgorithm.ES256, api2Key.toECPrivateKey(),
                api2Key.getKeyID(), null);
        PrivateKeyJWT second = new PrivateKeyJWT(assertionClaims, JWSAlgorithm.ES256, api2Key.toECPrivateKey(),
                api2Key.getKeyID(), null);
        assertThat(first.getClientAssertion().serialize()).isNotEqualTo(second.getClientAssertion().serialize());

        success(send(exchangeRequest(first, hop1Token("orders:read"), serviceToken(SVC_API_2, API_2), API_3_AUD,
                null)));
        HTTPResponse r = send(exchangeRequest(second, hop1Token("orders:read"), serviceToken(SVC_API_2, API_2),
                API_3_AUD, null));

        assertError(r, 401, "invalid_client", "client_assertion: jti replayed");
        assertThat(r.getWWWAuthenticate()).isNotNull();
        assertThat(auditRow(r).orElseThrow()).containsEntry("outcome", "refused").containsEntry("error", "invalid_client");
    }

    // ---------------------------------------------------------------- hostile input

    @Test
    void clientIdWithANulCharacterThenRefusedAndAudited() throws Exception {
        // client_secret_post (client_id=api%001 in the body) and client_secret_basic (NUL inside the Basic pair).
        for (ClientAuthentication auth : List.of(new ClientSecretPost(new ClientID("api\u00001"), new Secret(API_1_SECRET)),
                new ClientSecretBasic(new ClientID("api\u00001"), new Secret(API_1_SECRET)))) {
            HTTPRequest request = exchangeRequest(auth, userToken("orders:read"), null, API_2_AUD, null).toHTTPRequest();
            if (auth instanceof ClientSecretPost) {
                assertThat(request.getBody()).contains("client_id=api%001");
            }
            HTTPResponse r = request.send();
            assertError(r, 401, "invalid_client", "client authentication failed");
            // The reason quotes the claimed client_id with the NUL replaced (PostgreSQL text cannot hold one).
            Map<String, Object> row = auditRow(r).orElseThrow(() -> new AssertionError("no audit row: " + auth.getMethod()));
            assertThat(row).containsEntry("outcome", "refused").containsEntry("error", "invalid_client");
            assertThat(row.get("reason")).isEqualTo(auth.getMethod()
                    + ": unknown client or client without a secret: api\uFFFD1");
        }
        // The same at introspection and revocation.
        ClientSecretPost nul = new ClientSecretPost(new ClientID("api\u00001"), new Secret(API_1_SECRET));
        HTTPResponse introspection = new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(), nul,
                new BearerAccessToken("x")).toHTTPRequest().send();
        assertError(introspection, 401, "invalid_client", "client authentication failed");
        assertThat(auditRow(introspection)).isPresent();
        HTTPResponse revocation = new TokenRevocationRequest(metadata.getRevocationEndpointURI(), nul,
                new BearerAccessToken("x")).toHTTPRequest().send();
        assertError(revocation, 401, "invalid_client", "client authentication failed");
        assertThat(auditRow(revocation)).isPresent();
    }

    // ---------------------------------------------------------------- helpers

    /** A token exchange request built by the library; subject and actor typed as access tokens (RFC 8693 §3). */
    static TokenRequest exchangeRequest(ClientAuthentication auth, Token subject, Token actor, String audience,
            Scope scope) {
        TokenExchangeGrant grant = new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN, actor,
                actor == null ? null : TokenTypeURI.JWT, null, List.of(new Audience(audience)));
        return new TokenRequest.Builder(metadata.getTokenEndpointURI(), auth, grant).scope(scope).build();
    }

    static HTTPResponse send(TokenRequest request) throws Exception {
        return request.toHTTPRequest().send();
    }

    static AccessTokenResponse success(HTTPResponse r) throws Exception {
        TokenResponse parsed = TokenResponse.parse(r);
        assertThat(parsed.indicatesSuccess()).as(r.getStatusCode() + " " + r.getBody()).isTrue();
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        return parsed.toSuccessResponse();
    }

    static void assertError(HTTPResponse r, int status, String code, String description) throws Exception {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        ErrorObject error = TokenErrorResponse.parse(r).getErrorObject();
        assertThat(error.getCode()).isEqualTo(code);
        assertThat(error.getDescription()).isEqualTo(description);
        assertThat(error.getHTTPStatusCode()).isEqualTo(status);
    }

    static TokenIntrospectionSuccessResponse introspect(ClientAuthentication auth, Token token) throws Exception {
        HTTPResponse r = new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(), auth, token)
                .toHTTPRequest().send();
        TokenIntrospectionResponse parsed = TokenIntrospectionResponse.parse(r);
        assertThat(parsed.indicatesSuccess()).as(r.getStatusCode() + " " + r.getBody()).isTrue();
        return parsed.toSuccessResponse();
    }

    static ClientSecretBasic basic(String client, String secret) {
        return new ClientSecretBasic(new ClientID(client), new Secret(secret));
    }

    /** api-2's client assertion for {@code endpoint} (the library's defaults: fresh jti, exp in 5 minutes). */
    static PrivateKeyJWT privateKeyJwt(URI endpoint) throws Exception {
        return new PrivateKeyJWT(new ClientID(API_2), endpoint, JWSAlgorithm.ES256, api2Key.toECPrivateKey(),
                api2Key.getKeyID(), null);
    }

    /** Verified as a resource server would: signature under the metadata's JWKS, at+jwt, the issuer, the audience. */
    static JWTClaimsSet verify(AccessTokenResponse response, String audience) throws Exception {
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(List.of("sub", "exp", "iat", "jti")));
        resourceServer.setJWTClaimsSetVerifier(claims);
        JWTClaimsSet verified = resourceServer.process(response.getTokens().getAccessToken().getValue(), null);
        assertThat(verified.getAudience()).containsExactly(audience);
        assertThat(response.getTokens().getAccessToken().getLifetime()).isPositive();
        return verified;
    }

    static Token hop1Token(String scope) throws Exception {
        return success(send(exchangeRequest(basic(API_1, API_1_SECRET), userToken("orders:read orders:write"), null,
                API_2_AUD, new Scope(scope)))).getTokens().getAccessToken();
    }

    /** alice's token from the IdP, for api-1. */
    static Token userToken(String scope) throws Exception {
        return new TypelessToken(idpToken(ALICE, API_1, scope));
    }

    /** A service's own token from the IdP (its identity as an actor), for that service's client. */
    static Token serviceToken(String service, String client) throws Exception {
        return new TypelessToken(idpToken(service, client, "orders:read"));
    }

    static String idpToken(String subject, String audience, String scope) throws Exception {
        return sign(idpKey, claims(idp.url("/idp"), subject, audience, scope));
    }

    static JWTClaimsSet claims(String iss, String subject, String audience, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(iss).subject(subject).audience(audience).claim("scope", scope)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).build();
    }

    static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The audit row of a response, by the {@code X-Request-Id} Kerbex answered with. */
    static Optional<Map<String, Object>> auditRow(HTTPResponse r) throws Exception {
        String requestId = r.getHeaderValue("X-Request-Id");
        assertThat(requestId).as("X-Request-Id").isNotBlank();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_event WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnName(i), v == null ? null : v.toString());
                }
                return Optional.of(row);
            }
        }
    }
}
