package dev.kerbex.kerberos;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import java.util.Arrays;

/**
 * Detects how an AP-REQ is framed (SPEC §2) and returns the bare KRB_AP_REQ. Works on input that
 * {@link Der#check(byte[])} accepted, and re-checks every length it follows.
 */
final class TokenFraming {

    static final String NO_KRB5_MECH_TOKEN = "SPNEGO token carries no Kerberos mechanism token";

    /** RFC 4120 §5.5.1: KRB_AP_REQ is [APPLICATION 14]. */
    static final int AP_REQ_TAG = 0x6e;
    /** RFC 2743 §3.1: InitialContextToken is [APPLICATION 0] IMPLICIT SEQUENCE. */
    static final int GSS_TAG = 0x60;
    /** RFC 4178 §4.2: NegotiationToken CHOICE negTokenInit [0]. */
    static final int NEG_TOKEN_INIT_TAG = 0xa0;

    // DER contents of the OIDs (without tag and length).
    static final byte[] KRB5_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02};
    static final byte[] KRB5_OLD_OID = {0x2b, 0x05, 0x01, 0x05, 0x02};
    static final byte[] KRB5_MS_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x82, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02};
    static final byte[] SPNEGO_OID = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};

    private TokenFraming() {
    }

    /** Returns the bare AP-REQ carried by {@code token}, whichever of the three framings it uses. */
    static byte[] apReq(byte[] token) throws KerberosVerificationException {
        int tag = token[0] & 0xff;
        Der.Tlv outer = Der.header(token, 0, token.length);
        return switch (tag) {
            case AP_REQ_TAG -> token;
            case GSS_TAG -> fromGss(token, outer, true);
            case NEG_TOKEN_INIT_TAG -> fromNegTokenInit(token, outer);
            default -> throw Der.malformed("token starts with tag 0x" + Integer.toHexString(tag)
                    + ", neither an AP-REQ, a GSS-API token nor SPNEGO");
        };
    }

    private static byte[] fromGss(byte[] in, Der.Tlv outer, boolean spnegoAllowed) throws KerberosVerificationException {
        Der.Tlv oid = Der.header(in, outer.contentStart(), outer.end());
        if (oid.tag() != 0x06) {
            throw Der.malformed("GSS-API token does not start with a mechanism OID");
        }
        byte[] mech = Arrays.copyOfRange(in, oid.contentStart(), oid.end());
        if (isKrb5(mech)) {
            // RFC 4121 §4.1: 2-byte TOK_ID, 01 00 for KRB_AP_REQ, then the AP-REQ itself.
            int at = oid.end();
            if (outer.end() - at < 2) {
                throw Der.malformed("GSS-API krb5 token lacks its TOK_ID");
            }
            if (in[at] != 0x01 || in[at + 1] != 0x00) {
                throw Der.malformed("GSS-API krb5 token is not an AP-REQ (TOK_ID "
                        + String.format("%02x%02x", in[at], in[at + 1]) + ")");
            }
            at += 2;
            Der.Tlv apReq = Der.header(in, at, outer.end());
            if (apReq.tag() != AP_REQ_TAG || apReq.end() != outer.end()) {
                throw Der.malformed("GSS-API krb5 token does not carry exactly one AP-REQ");
            }
            return Arrays.copyOfRange(in, at, apReq.end());
        }
        if (spnegoAllowed && Arrays.equals(mech, SPNEGO_OID)) {
            Der.Tlv neg = Der.header(in, oid.end(), outer.end());
            if (neg.tag() != NEG_TOKEN_INIT_TAG) {
                throw new KerberosVerificationException(Reason.MALFORMED, NO_KRB5_MECH_TOKEN,
                        "SPNEGO token is not a NegTokenInit (tag 0x" + Integer.toHexString(neg.tag()) + ")");
            }
            return fromNegTokenInit(in, neg);
        }
        throw Der.malformed("GSS-API token for an unsupported mechanism");
    }

    /** RFC 4178 §4.2.1: NegTokenInit ::= SEQUENCE { mechTypes [0], reqFlags [1], mechToken [2], mechListMIC [3] }. */
    private static byte[] fromNegTokenInit(byte[] in, Der.Tlv negTokenInit) throws KerberosVerificationException {
        Der.Tlv seq = Der.header(in, negTokenInit.contentStart(), negTokenInit.end());
        if (seq.tag() != 0x30) {
            throw Der.malformed("NegTokenInit is not a SEQUENCE");
        }
        int at = seq.contentStart();
        while (at < seq.end()) {
            Der.Tlv field = Der.header(in, at, seq.end());
            if (field.tag() == 0xa2) {
                Der.Tlv octets = Der.header(in, field.contentStart(), field.end());
                if (octets.tag() != 0x04 || octets.contentLength() == 0) {
                    throw new KerberosVerificationException(Reason.MALFORMED, NO_KRB5_MECH_TOKEN,
                            "SPNEGO mechToken is not an OCTET STRING");
                }
                byte[] mechToken = Arrays.copyOfRange(in, octets.contentStart(), octets.end());
                return fromMechToken(mechToken);
            }
            at = field.end();
        }
        throw new KerberosVerificationException(Reason.MALFORMED, NO_KRB5_MECH_TOKEN,
                "SPNEGO NegTokenInit has no mechToken");
    }

    private static byte[] fromMechToken(byte[] mechToken) throws KerberosVerificationException {
        // The mechToken is an OCTET STRING, so the outer walk did not look inside it.
        try {
            Der.check(mechToken);
        } catch (KerberosVerificationException e) {
            if (Der.TOO_DEEP.equals(e.description())) {
                throw e;
            }
            throw new KerberosVerificationException(Reason.MALFORMED, NO_KRB5_MECH_TOKEN,
                    "SPNEGO mechToken is not DER: " + e.detail());
        }
        Der.Tlv outer = Der.header(mechToken, 0, mechToken.length);
        if (outer.tag() == GSS_TAG) {
            Der.Tlv oid = Der.header(mechToken, outer.contentStart(), outer.end());
            if (oid.tag() == 0x06 && isKrb5(Arrays.copyOfRange(mechToken, oid.contentStart(), oid.end()))) {
                return fromGss(mechToken, outer, false);
            }
        } else if (outer.tag() == AP_REQ_TAG) {
            // Not what RFC 4178 prescribes, but unambiguous.
            return mechToken;
        }
        throw new KerberosVerificationException(Reason.MALFORMED, NO_KRB5_MECH_TOKEN,
                "SPNEGO mechToken is for another mechanism");
    }

    private static boolean isKrb5(byte[] oid) {
        return Arrays.equals(oid, KRB5_OID) || Arrays.equals(oid, KRB5_OLD_OID) || Arrays.equals(oid, KRB5_MS_OID);
    }
}
