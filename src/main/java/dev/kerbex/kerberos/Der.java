package dev.kerbex.kerberos;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;

/**
 * A minimal DER walker that runs before any Kerby decoder sees the input (SPEC §5: Kerby's decoder is
 * not hardened). It checks that the input is exactly one TLV, that every length is definite and fits
 * inside its parent, and that constructed values nest at most {@link #MAX_DEPTH} deep. The recursion
 * is bounded by that depth, so hostile input cannot overflow the stack here.
 */
final class Der {

    static final int MAX_DEPTH = 32;
    static final String MALFORMED = "malformed Kerberos token";
    static final String TOO_DEEP = "DER nesting too deep";

    /** One parsed header: the tag (first identifier octet only), where its contents start and end. */
    record Tlv(int tag, boolean constructed, int contentStart, int end) {
        int contentLength() {
            return end - contentStart;
        }
    }

    private Der() {
    }

    /** Checks that {@code in[0..in.length)} is one well-formed DER TLV. */
    static void check(byte[] in) throws KerberosVerificationException {
        Tlv top = header(in, 0, in.length);
        if (top.end() != in.length) {
            throw malformed("trailing bytes after the outer DER value");
        }
        walk(in, 0, in.length, 1);
    }

    /**
     * Checks the first TLV of {@code in} and returns its length; bytes after it are allowed (decrypted
     * plaintext of the block-cipher enctypes carries padding).
     */
    static int checkPrefix(byte[] in) throws KerberosVerificationException {
        Tlv top = header(in, 0, in.length);
        walk(in, 0, top.end(), 1);
        return top.end();
    }

    private static void walk(byte[] in, int offset, int end, int depth) throws KerberosVerificationException {
        if (depth > MAX_DEPTH) {
            throw new KerberosVerificationException(Reason.MALFORMED, TOO_DEEP,
                    "DER nesting exceeds " + MAX_DEPTH + " levels");
        }
        int at = offset;
        while (at < end) {
            Tlv tlv = header(in, at, end);
            if (tlv.constructed()) {
                walk(in, tlv.contentStart(), tlv.end(), depth + 1);
            }
            at = tlv.end();
        }
    }

    /** Reads the TLV header at {@code offset}, checking the value fits before {@code limit}. */
    static Tlv header(byte[] in, int offset, int limit) throws KerberosVerificationException {
        int at = offset;
        if (at >= limit) {
            throw malformed("DER value expected at offset " + offset);
        }
        int tag = in[at++] & 0xff;
        boolean constructed = (tag & 0x20) != 0;
        if ((tag & 0x1f) == 0x1f) {
            // High tag number form: at most 4 continuation octets, which is more than Kerberos uses.
            int octets = 0;
            while (true) {
                if (at >= limit) {
                    throw malformed("truncated DER tag at offset " + offset);
                }
                int b = in[at++] & 0xff;
                if (++octets > 4) {
                    throw malformed("DER tag too long at offset " + offset);
                }
                if ((b & 0x80) == 0) {
                    break;
                }
            }
        }
        if (at >= limit) {
            throw malformed("truncated DER length at offset " + offset);
        }
        int first = in[at++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw malformed("indefinite DER length at offset " + offset);
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw malformed("DER length too long at offset " + offset);
            }
            if (limit - at < count) {
                throw malformed("truncated DER length at offset " + offset);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (in[at++] & 0xff);
            }
        }
        if (length > limit - at) {
            throw malformed("DER length " + length + " overruns its container at offset " + offset);
        }
        return new Tlv(tag, constructed, at, at + (int) length);
    }

    static KerberosVerificationException malformed(String detail) {
        return new KerberosVerificationException(Reason.MALFORMED, MALFORMED, detail);
    }
}
