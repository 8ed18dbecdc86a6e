package dev.kerbex.endpoint;

import static dev.kerbex.testing.TokenRequests.exchange;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.kerbex.client.MutualTls;
import dev.kerbex.testing.AdminTokens;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestCertificates;
import dev.kerbex.testing.TokenRequests;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8705 through HTTPS (issue 10): Kerbex serves TLS from the TLS registry ({@code quarkus.tls.*}) with client
 * certificates requested, not required; {@code tls_client_auth} and {@code self_signed_tls_client_auth} clients
 * registered through the admin API; certificate-bound tokens ({@code cnf.x5t#S256}) for a policy that requires them;
 * introspection and metadata; HSTS over TLS only. The PKI is made at run time ({@link TestCertificates}).
 */
@QuarkusTest
@TestProfile(MutualTlsTest.Tls.class)
class MutualTlsTest {
    static final String CLIENTS = "/admin/v1/tenants/acme/clients";
    static final String TOKEN = "/tenants/acme/oauth2/token";
    static final String MTLS_API = KerbexTestResource.MTLS_API;
    static final ObjectMapper JSON = new ObjectMapper();
    static boolean registered;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Inject
    AgroalDataSource dataSource;

    /** TLS on a random port beside plain HTTP, client certificates requested, the test CA for tls_client_auth. */
    public static final class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestCertificates pki = TestCertificates.get();
            return Map.ofEntries(
                    Map.entry("quarkus.tls.key-store.p12.path", pki.serverP12.toString()),
                    Map.entry("quarkus.tls.key-store.p12.password", TestCertificates.PASSWORD),
                    Map.entry("quarkus.tls.key-store.p12.alias", "server"),
                    Map.entry("quarkus.tls.key-store.p12.alias-password", TestCertificates.PASSWORD),
                    // Any certificate passes the handshake (which proves its key); Kerbex judges it per client.
                    Map.entry("quarkus.tls.trust-all", "true"),
                    Map.entry("quarkus.http.ssl.client-auth", "request"),
                    Map.entry("quarkus.http.insecure-requests", "enabled"),
                    Map.entry("quarkus.http.test-ssl-port", "0"),
                    Map.entry("kerbex.mtls.trust-store", pki.caPem.toString()),
                    Map.entry("kerbex.dpop.require-nonce", "true"),
                    Map.entry("kerbex.dpop.nonce-secret", "a2VyYmV4LXRlc3Qtb25seS1ub25jZS1zZWNyZXQtMzI="));
        }
    }

    @BeforeEach
    void register() throws Exception {
        synchronized (MutualTlsTest.class) {
            if (registered) {
                return;
            }
            TestCertificates pki = TestCertificates.get();
            String admin = AdminTokens.admin();
            Map<String, Object> jwk = TestCertificates.jwk(pki.certificate(pki.selfSignedP12, "client"));
            given().auth().oauth2(admin).contentType("application/json").body("""
                    {"client_id": "mtls-ca", "token_endpoint_auth_method": "tls_client_auth",
                     "tls_client_auth_san_dns": "%s"}""".formatted(TestCertificates.CLIENT_DNS))
                    .post(CLIENTS).then().statusCode(201)
                    .body("token_endpoint_auth_method", org.hamcrest.Matchers.equalTo("tls_client_auth"))
                    .body("tls_client_auth_san_dns", org.hamcrest.Matchers.equalTo(TestCertificates.CLIENT_DNS));
            given().auth().oauth2(admin).contentType("application/json")
                    .body(JSON.writeValueAsString(Map.of("client_id", "mtls-self",
                            "token_endpoint_auth_method", "self_signed_tls_client_auth",
                            "jwks", Map.of("keys", List.of(jwk)))))
                    .post(CLIENTS).then().statusCode(201);
            given().auth().oauth2(admin).contentType("application/json").body("""
                    {"name": "mtls-clients", "effect": "allow", "priority": 100,
                     "match": {"clients": ["mtls-ca", "mtls-self"], "subjects": ["*@EXAMPLE.TEST"],
                               "audiences": ["%s"]},
                     "grant": {"scopes": ["mtls:read"], "default_scopes": ["mtls:read"], "require_mtls": true}}"""
                    .formatted(MTLS_API)).post("/admin/v1/tenants/acme/policies").then().statusCode(201);
            registered = true;
        }
    }

    private HttpResponse<String> post(Path clientStore, String path, String form, String... headers) throws Exception {
        SSLContext ssl = TestCertificates.get().context(clientStore);
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.toString().replaceAll("/$", "") + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static TokenRequests mtlsExchange(String clientId) {
        return exchange().param("subject_token_type", TokenRequests.AP_REQ)
                .param("subject_token", dev.kerbex.testing.GssTokens.aliceKrb5Base64())
                .param("audience", MTLS_API).param("client_id", clientId);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JSON.readValue(r.body(), Map.class);
    }

    private void assertRefused(HttpResponse<String> r, int status, String error, String description) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r)).containsEntry("error", error).containsEntry("error_description", description);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(AuditRows.byRequestId(dataSource, requestId).orElseThrow())
                .containsEntry("outcome", "refused").containsEntry("error", error);
    }

    @Test
    void exchangeWhenTlsClientAuthWithCaSignedCertificateThenTokenBoundToIt() throws Exception {
        TestCertificates pki = TestCertificates.get();
        HttpResponse<String> r = post(pki.clientP12, TOKEN, mtlsExchange("mtls-ca").body());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r)).containsEntry("token_type", "Bearer").containsEntry("scope", "mtls:read");
        String x5t = MutualTls.thumbprint(pki.certificate(pki.clientP12, "client"));
        Map<String, Object> claims = SignedJWT.parse((String) json(r).get("access_token")).getJWTClaimsSet().toJSONObject();
        assertThat(claims).containsEntry("client_id", "mtls-ca").containsEntry("cnf", Map.of("x5t#S256", x5t));
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(AuditRows.byRequestId(dataSource, r.headers().firstValue("X-Request-Id").orElseThrow()).orElseThrow())
                .containsEntry("outcome", "issued").containsEntry("client_id", "mtls-ca")
                .containsEntry("reason", "certificate-bound to x5t#S256 " + x5t);

        // RFC 7662 with RFC 8705 §3.2: introspection (itself authenticated by the certificate) shows the binding.
        HttpResponse<String> introspected = post(pki.clientP12, "/tenants/acme/oauth2/introspect",
                "client_id=mtls-ca&token=" + json(r).get("access_token"));
        assertThat(introspected.statusCode()).as(introspected.body()).isEqualTo(200);
        assertThat(json(introspected)).containsEntry("active", true).containsEntry("cnf", Map.of("x5t#S256", x5t))
                .containsEntry("token_type", "Bearer");
    }

    @Test
    void exchangeWhenSelfSignedCertificateRegisteredThenAuthenticatedAndBound() throws Exception {
        TestCertificates pki = TestCertificates.get();
        HttpResponse<String> r = post(pki.selfSignedP12, TOKEN, mtlsExchange("mtls-self").body());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> claims = SignedJWT.parse((String) json(r).get("access_token")).getJWTClaimsSet().toJSONObject();
        assertThat(claims).containsEntry("client_id", "mtls-self").containsEntry("cnf",
                Map.of("x5t#S256", MutualTls.thumbprint(pki.certificate(pki.selfSignedP12, "client"))));
    }

    @Test
    void exchangeWhenCertificateNotTheRegisteredOneThenInvalidClient() throws Exception {
        TestCertificates pki = TestCertificates.get();
        // self_signed_tls_client_auth with another certificate than the registered one
        HttpResponse<String> wrongCert = post(pki.clientP12, TOKEN, mtlsExchange("mtls-self").body());
        assertRefused(wrongCert, 401, "invalid_client", "client authentication failed");
        assertThat(wrongCert.headers().firstValue("WWW-Authenticate")).isPresent();
        // tls_client_auth with a certificate that no configured CA issued
        HttpResponse<String> untrusted = post(pki.selfSignedP12, TOKEN, mtlsExchange("mtls-ca").body());
        assertRefused(untrusted, 401, "invalid_client", "client authentication failed");
        assertThat(AuditRows.byRequestId(dataSource, untrusted.headers().firstValue("X-Request-Id").orElseThrow())
                .orElseThrow().get("reason").toString()).startsWith("tls_client_auth: certificate chain does not validate");
    }

    @Test
    void exchangeWhenTlsClientUsesNoCertificateOrASecretThenRefused() throws Exception {
        // No certificate: the client_id alone proves nothing (and alice has no self-exchange client).
        HttpResponse<String> none = post(null, TOKEN, mtlsExchange("mtls-ca").body());
        assertRefused(none, 401, "invalid_client",
                "client authentication: no credentials, and no client is registered for the subject's Kerberos principal");
    }

    @Test
    void exchangeWhenPolicyRequiresMtlsAndSecretClientPresentsCertificateThenBound() throws Exception {
        TestCertificates pki = TestCertificates.get();
        String form = exchange().param("subject_token_type", TokenRequests.AP_REQ)
                .param("subject_token", dev.kerbex.testing.GssTokens.aliceKrb5Base64()).param("audience", MTLS_API).body();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (KerbexTestResource.BILLING + ":" + KerbexTestResource.BILLING_SECRET).getBytes());
        HttpResponse<String> r = post(pki.clientP12, TOKEN, form, "Authorization", basic);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SignedJWT.parse((String) json(r).get("access_token")).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsEntry("x5t#S256", MutualTls.thumbprint(pki.certificate(pki.clientP12, "client")));

        HttpResponse<String> noCert = post(null, TOKEN, exchange().param("subject_token_type", TokenRequests.AP_REQ)
                .param("subject_token", dev.kerbex.testing.GssTokens.aliceKrb5Base64()).param("audience", MTLS_API)
                .body(), "Authorization", basic);
        assertRefused(noCert, 400, "invalid_request",
                "request: this exchange requires a certificate-bound token (RFC 8705); send it over TLS with a client certificate");
    }

    @Test
    void registerWhenTlsClientAuthWithoutExactlyOneNameThenProblem() {
        given().auth().oauth2(AdminTokens.admin()).contentType("application/json")
                .body("{\"client_id\": \"mtls-bad\", \"token_endpoint_auth_method\": \"tls_client_auth\"}")
                .post(CLIENTS).then().statusCode(400).contentType("application/problem+json")
                .body("errors.detail", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith(
                        "tls_client_auth needs exactly one of tls_client_auth_subject_dn")));
        given().auth().oauth2(AdminTokens.admin()).contentType("application/json")
                .body("{\"client_id\": \"mtls-bad\", \"token_endpoint_auth_method\": \"self_signed_tls_client_auth\"}")
                .post(CLIENTS).then().statusCode(400)
                .body("errors.pointer", org.hamcrest.Matchers.hasItem("/jwks"));
    }

    @Test
    void metadataWhenClientCertificatesRequestedThenAdvertisesRfc8705() {
        given().get("/.well-known/oauth-authorization-server/tenants/acme").then().statusCode(200)
                .body("tls_client_certificate_bound_access_tokens", org.hamcrest.Matchers.equalTo(true))
                .body("token_endpoint_auth_methods_supported",
                        org.hamcrest.Matchers.hasItems("tls_client_auth", "self_signed_tls_client_auth"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("mtls_endpoint_aliases")));
    }

    @Test
    void plainHttpWhenTlsAlsoServedThenNoHsts() {
        given().get("/.well-known/oauth-authorization-server/tenants/acme").then().statusCode(200)
                .header("Strict-Transport-Security", org.hamcrest.Matchers.nullValue())
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void exchangeWhenNoncesRequiredAndProofHasNoneThenUseDpopNonceThenAcceptedWithIt() throws Exception {
        io.restassured.response.Response first = DpopTest.post(TokenRequests.aliceForLedger().billing(),
                DpopTest.proof(DpopTest.KEY, DpopTest.proofClaims().build()));
        first.then().statusCode(400).header("Cache-Control", "no-store")
                .body("error", org.hamcrest.Matchers.equalTo("use_dpop_nonce"))
                .body("error_description",
                        org.hamcrest.Matchers.equalTo("DPoP: the proof must carry the server's nonce from the DPoP-Nonce header"));
        String nonce = first.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();
        assertThat(AuditRows.byRequestId(dataSource, first.header("X-Request-Id")).orElseThrow())
                .containsEntry("outcome", "refused").containsEntry("error", "use_dpop_nonce");

        DpopTest.post(TokenRequests.aliceForLedger().billing(),
                DpopTest.proof(DpopTest.KEY, DpopTest.proofClaims().claim("nonce", nonce).build()))
                .then().statusCode(200).body("token_type", org.hamcrest.Matchers.equalTo("DPoP"));

        // A nonce this server did not make (another secret, or edited) is no nonce.
        String forged = nonce.substring(0, nonce.length() - 2) + (nonce.endsWith("AA") ? "BB" : "AA");
        DpopTest.post(TokenRequests.aliceForLedger().billing(),
                DpopTest.proof(DpopTest.KEY, DpopTest.proofClaims().claim("nonce", forged).build()))
                .then().statusCode(400).header("DPoP-Nonce", nonce)
                .body("error", org.hamcrest.Matchers.equalTo("use_dpop_nonce"));
    }
}
