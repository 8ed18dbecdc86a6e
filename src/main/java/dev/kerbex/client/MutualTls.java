package dev.kerbex.client;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.policy.Cidr;
import dev.kerbex.policy.FieldError;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.TlsClientAuth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * RFC 8705 client authentication by the TLS client certificate of the connection. The TLS layer only proves that
 * the caller holds the certificate's private key ({@code quarkus.http.ssl.client-auth=request}); what the
 * certificate is worth is decided here:
 * <ul>
 * <li>{@code tls_client_auth} (§2.1): the chain must validate (PKIX, at the current time) up to a CA of
 * {@code kerbex.mtls.trust-store}, and the leaf must carry the client's one registered subject DN (compared as
 * X.500 names, RFC 4514 text) or SAN entry (DNS case-insensitive, IP address as an address, URI and e-mail
 * exactly).</li>
 * <li>{@code self_signed_tls_client_auth} (§2.2): no chain; the leaf's SHA-256 thumbprint must equal one of the
 * client's registered certificates ({@code x5c} first entry or {@code x5t#S256} of a key of its {@code jwks}).</li>
 * </ul>
 * Certificate revocation (CRL, OCSP) is not checked: README "Known limits".
 */
@ApplicationScoped
public class MutualTls {
    private static final String FAILED = "client authentication failed";
    static final Set<String> METHODS = Set.of("client_secret_basic", "client_secret_post", "private_key_jwt",
            TlsClientAuth.TLS_CLIENT_AUTH, TlsClientAuth.SELF_SIGNED);

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    @Inject
    public MutualTls(KerbexConfig config, Clock clock) {
        this(config.mtls().trustStore().map(MutualTls::readAnchors).orElse(Set.of()), clock);
    }

    public MutualTls(Set<TrustAnchor> anchors, Clock clock) {
        this.anchors = Set.copyOf(anchors);
        this.clock = clock;
    }

    /** RFC 8705 §3.1: {@code x5t#S256}, the base64url SHA-256 of the certificate's DER. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }

    /**
     * The client proven by the connection's certificate chain (leaf first), or {@code invalid_client}.
     *
     * @param chain never empty
     */
    public OAuthClient authenticate(OAuthClient client, List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        if (TlsClientAuth.SELF_SIGNED.equals(client.authMethod())) {
            if (!registeredThumbprints(client.jwks()).contains(thumbprint(leaf))) {
                throw refused("self_signed_tls_client_auth: certificate is not one registered for " + client.clientId());
            }
            return client;
        }
        if (anchors.isEmpty()) {
            throw refused("tls_client_auth: kerbex.mtls.trust-store is not configured");
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw refused("tls_client_auth: certificate chain does not validate: " + e.getClass().getSimpleName());
        }
        if (!matches(client.tls(), leaf)) {
            throw refused("tls_client_auth: certificate subject or SAN is not the one registered for " + client.clientId());
        }
        return client;
    }

    static boolean matches(TlsClientAuth tls, X509Certificate leaf) {
        if (tls == null) {
            return false;
        }
        if (tls.subjectDn() != null) {
            try {
                return new X500Principal(tls.subjectDn()).equals(leaf.getSubjectX500Principal());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (GeneralSecurityException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = san.get(1) instanceof String s ? s : null;
            if (value != null && matchesSan(tls, type, value)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 5280 §4.2.1.6 GeneralName tags: 1 rfc822Name, 2 dNSName, 6 URI, 7 iPAddress. */
    private static boolean matchesSan(TlsClientAuth tls, int type, String value) {
        return switch (type) {
            case 1 -> value.equals(tls.sanEmail());
            case 2 -> tls.sanDns() != null && value.toLowerCase(Locale.ROOT).equals(tls.sanDns().toLowerCase(Locale.ROOT));
            case 6 -> value.equals(tls.sanUri());
            case 7 -> tls.sanIp() != null && sameAddress(value, tls.sanIp());
            default -> false;
        };
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return Arrays.equals(Cidr.address(a).getAddress(), Cidr.address(b).getAddress());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The SHA-256 thumbprints of the certificates in a client's {@code jwks}: {@code x5t#S256}, else of {@code x5c[0]}. */
    static Set<String> registeredThumbprints(Map<String, Object> jwks) {
        Set<String> thumbprints = new HashSet<>();
        if (jwks == null || !(jwks.get("keys") instanceof List<?> keys)) {
            return thumbprints;
        }
        for (Object key : keys) {
            if (!(key instanceof Map<?, ?> raw)) {
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                JsonWebKey jwk = JsonWebKey.Factory.newJwk((Map<String, Object>) raw);
                if (jwk instanceof PublicJsonWebKey pub) {
                    String t = pub.getX509CertificateSha256Thumbprint(true);
                    if (t != null) {
                        thumbprints.add(t);
                    }
                }
            } catch (JoseException | RuntimeException e) {
                // checked when written (validate); an unreadable key simply matches nothing
            }
        }
        return thumbprints;
    }

    /** The RFC 8705 part of a client registration, pointers under {@code p}. */
    public static void validate(String method, TlsClientAuth tls, Map<String, Object> jwks, String p,
            List<FieldError> errors) {
        if (method != null && !METHODS.contains(method)) {
            errors.add(new FieldError(p + "/token_endpoint_auth_method", "must be one of "
                    + METHODS.stream().sorted().collect(Collectors.joining(", "))));
            return;
        }
        int count = tls == null ? 0 : tls.count();
        if (TlsClientAuth.TLS_CLIENT_AUTH.equals(method) && count != 1) {
            errors.add(new FieldError(p + "/token_endpoint_auth_method", "tls_client_auth needs exactly one of tls_client_auth_subject_dn, "
                    + "tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email"));
        } else if (!TlsClientAuth.TLS_CLIENT_AUTH.equals(method) && count > 0) {
            errors.add(new FieldError(p + "/token_endpoint_auth_method",
                    "must be tls_client_auth when a tls_client_auth_* member is set"));
        }
        if (tls != null && tls.subjectDn() != null) {
            try {
                new X500Principal(tls.subjectDn());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(p + "/" + TlsClientAuth.SUBJECT_DN, "not an RFC 4514 distinguished name"));
            }
        }
        if (tls != null && tls.sanIp() != null) {
            try {
                Cidr.address(tls.sanIp());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(p + "/" + TlsClientAuth.SAN_IP, "not an IP address"));
            }
        }
        if (TlsClientAuth.SELF_SIGNED.equals(method) && registeredThumbprints(jwks).isEmpty()) {
            errors.add(new FieldError(p + "/jwks", "self_signed_tls_client_auth needs a key with x5c or x5t#S256"));
        }
        if ("private_key_jwt".equals(method) && jwks == null) {
            errors.add(new FieldError(p + "/jwks", "private_key_jwt needs jwks"));
        }
    }

    private static Set<TrustAnchor> readAnchors(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Set<TrustAnchor> anchors = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> new TrustAnchor((X509Certificate) c, null)).collect(Collectors.toSet());
            if (anchors.isEmpty()) {
                throw new IllegalStateException("kerbex.mtls.trust-store " + pem + " holds no certificate");
            }
            return anchors;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("kerbex.mtls.trust-store " + pem + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static OAuthException refused(String reason) {
        return new OAuthException(OAuthErrorCode.INVALID_CLIENT, FAILED, reason);
    }
}
