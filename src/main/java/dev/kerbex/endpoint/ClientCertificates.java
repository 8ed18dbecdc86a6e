package dev.kerbex.endpoint;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS client certificate chain of a request's connection (RFC 8705), leaf first. Plain HTTP answers null at
 * once: the token endpoint's hot path allocates and looks up nothing for it.
 */
final class ClientCertificates {
    private ClientCertificates() {
    }

    /** The chain the client presented and proved (TLS CertificateVerify); null without TLS or without a certificate. */
    static List<X509Certificate> of(HttpServerRequest request) {
        if (!request.isSSL()) {
            return null;
        }
        SSLSession session = request.sslSession();
        if (session == null) {
            return null;
        }
        try {
            Certificate[] peer = session.getPeerCertificates();
            List<X509Certificate> chain = new ArrayList<>(peer.length);
            for (Certificate c : peer) {
                if (!(c instanceof X509Certificate x509)) {
                    return null;
                }
                chain.add(x509);
            }
            return chain.isEmpty() ? null : List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return null; // client-auth=request: no certificate sent
        }
    }
}
