package dev.kerbex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.policy.FieldError;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TlsClientAuth;
import dev.kerbex.testing.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 8705 decisions of {@link MutualTls} on certificates made at run time; no HTTP. */
class MutualTlsRulesTest {
    static final TestCertificates PKI = TestCertificates.get();
    static final X509Certificate CLIENT = PKI.certificate(PKI.clientP12, "client");
    static final X509Certificate SELF = PKI.certificate(PKI.selfSignedP12, "client");

    static MutualTls at(Instant now) throws Exception {
        try (InputStream in = Files.newInputStream(PKI.caPem)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new MutualTls(Set.of(new TrustAnchor(ca, null)), Clock.fixed(now, ZoneOffset.UTC));
        }
    }

    static OAuthClient tls(TlsClientAuth names) {
        return new OAuthClient("acme", "c", null, null, List.of(OAuthClient.TOKEN_EXCHANGE), List.of(), null, null,
                TlsClientAuth.TLS_CLIENT_AUTH, names);
    }

    static void assertRefused(Runnable r, String detailStart) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_CLIENT);
            assertThat(e.description()).isEqualTo("client authentication failed");
            assertThat(e.detail()).startsWith(detailStart);
        });
    }

    @Test
    void tlsClientAuthWhenSubjectOrSanMatchesThenAuthenticated() throws Exception {
        MutualTls mtls = at(Instant.now());
        for (TlsClientAuth names : List.of(
                new TlsClientAuth("CN=mtls-client,O=Kerbex Test", null, null, null, null),
                new TlsClientAuth("cn=mtls-client, o=kerbex test", null, null, null, null),
                new TlsClientAuth(null, "CLIENT.mtls.test", null, null, null))) {
            assertThat(mtls.authenticate(tls(names), List.of(CLIENT)).clientId()).as(names.toString()).isEqualTo("c");
        }
    }

    @Test
    void tlsClientAuthWhenNamesDifferOrChainFailsThenInvalidClient() throws Exception {
        MutualTls mtls = at(Instant.now());
        assertRefused(() -> mtls.authenticate(tls(new TlsClientAuth("CN=other", null, null, null, null)), List.of(CLIENT)),
                "tls_client_auth: certificate subject or SAN");
        assertRefused(() -> mtls.authenticate(tls(new TlsClientAuth(null, null, null, "127.0.0.1", null)), List.of(CLIENT)),
                "tls_client_auth: certificate subject or SAN");
        assertRefused(() -> mtls.authenticate(tls(new TlsClientAuth(null, "client.mtls.test", null, null, null)),
                List.of(SELF)), "tls_client_auth: certificate chain does not validate");
        MutualTls later = at(Instant.now().plus(Duration.ofDays(10)));
        assertRefused(() -> later.authenticate(tls(new TlsClientAuth(null, "client.mtls.test", null, null, null)),
                List.of(CLIENT)), "tls_client_auth: certificate chain does not validate");
        MutualTls noStore = new MutualTls(Set.of(), Clock.systemUTC());
        assertRefused(() -> noStore.authenticate(tls(new TlsClientAuth(null, "client.mtls.test", null, null, null)),
                List.of(CLIENT)), "tls_client_auth: kerbex.mtls.trust-store is not configured");
    }

    @Test
    void selfSignedWhenThumbprintRegisteredThenAuthenticatedElseRefused() throws Exception {
        Map<String, Object> jwks = Map.of("keys", List.of(TestCertificates.jwk(SELF)));
        OAuthClient self = new OAuthClient("acme", "s", null, null, List.of(), List.of(), null, jwks,
                TlsClientAuth.SELF_SIGNED, null);
        MutualTls mtls = at(Instant.now());
        assertThat(mtls.authenticate(self, List.of(SELF))).isSameAs(self);
        assertRefused(() -> mtls.authenticate(self, List.of(CLIENT)), "self_signed_tls_client_auth: certificate is not");
        assertThat(MutualTls.registeredThumbprints(jwks)).containsExactly(MutualTls.thumbprint(SELF));
    }

    @Test
    void validateWhenRegistrationsIncompleteThenFieldErrors() {
        record Case(String method, TlsClientAuth tls, Map<String, Object> jwks, String pointer, String message) {
        }
        TlsClientAuth dns = new TlsClientAuth(null, "a.test", null, null, null);
        for (Case c : List.of(
                new Case("basic", null, null, "/token_endpoint_auth_method", "must be one of"),
                new Case("tls_client_auth", null, null, "/token_endpoint_auth_method", "tls_client_auth needs exactly one"),
                new Case("tls_client_auth", new TlsClientAuth("CN=a", "a.test", null, null, null), null,
                        "/token_endpoint_auth_method", "tls_client_auth needs exactly one"),
                new Case(null, dns, null, "/token_endpoint_auth_method", "must be tls_client_auth when"),
                new Case("tls_client_auth", new TlsClientAuth("not a dn", null, null, null, null), null,
                        "/tls_client_auth_subject_dn", "not an RFC 4514"),
                new Case("tls_client_auth", new TlsClientAuth(null, null, null, "dead.beef", null), null,
                        "/tls_client_auth_san_ip", "not an IP address"),
                new Case("self_signed_tls_client_auth", null, null, "/jwks", "self_signed_tls_client_auth needs"),
                new Case("private_key_jwt", null, null, "/jwks", "private_key_jwt needs jwks"))) {
            List<FieldError> errors = new ArrayList<>();
            MutualTls.validate(c.method(), c.tls(), c.jwks(), "", errors);
            assertThat(errors).as(c.toString()).anySatisfy(e -> {
                assertThat(e.pointer()).isEqualTo(c.pointer());
                assertThat(e.message()).startsWith(c.message());
            });
        }
        List<FieldError> none = new ArrayList<>();
        MutualTls.validate("tls_client_auth", dns, null, "", none);
        assertThat(none).isEmpty();
    }
}
