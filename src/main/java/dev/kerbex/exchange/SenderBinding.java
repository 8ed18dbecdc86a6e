package dev.kerbex.exchange;

import dev.kerbex.client.MutualTls;
import dev.kerbex.policy.Decision;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;

/** SPEC §7: a grant may require a sender-constrained token, bound to a DPoP key (RFC 9449) or a client certificate (RFC 8705). */
final class SenderBinding {
    private SenderBinding() {
    }

    /** SPEC §7: a grant may require a sender-constrained token; the DPoP half (the mTLS half: certificateThumbprint). */
    static void requireDpop(Decision.Permit permit, String dpopJkt) {
        if (permit.grant().requireDpop() && dpopJkt == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "DPoP: this exchange requires a DPoP proof (RFC 9449)", "policy " + permit.policy().name()
                            + " requires a DPoP-bound token and the request has no DPoP proof");
        }
    }

    /** RFC 8705 §3: the thumbprint of the connection's client certificate, which the token is then bound to. */
    static String certificateThumbprint(Decision.Permit permit, ExchangeInput in) {
        if (in.clientCertificates() == null) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    "request: this exchange requires a certificate-bound token (RFC 8705); send it over TLS with a client certificate",
                    "policy " + permit.policy().name() + " requires mTLS binding and the connection has no client certificate");
        }
        return MutualTls.thumbprint(in.clientCertificates().get(0));
    }
}
