package dev.kerbex.kerberos;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;

/**
 * Reads and checks an AD-WIN2K-PAC ([MS-PAC] §2.3–2.8) found in a ticket (SPEC §5a). The PAC arrives inside a ticket
 * that decrypted with the service key, yet only its server signature proves that the KDC wrote it for this
 * service, and every size, offset and count in it is treated as hostile: each is checked against the bytes that are
 * there before anything is read, so that a wrong value is a {@link KerberosVerificationException}, never an
 * exception of the JDK.
 *
 * <p>Checked: the PACTYPE header and its buffer table; exactly one CLIENT_INFO and server signature, at most one
 * LOGON_INFO (an MIT KDC since krb5 1.20 issues PACs without one: such a ticket has no SIDs and no groups);
 * the server signature over the PAC with both signature fields zeroed ([MS-PAC] §2.8.1, as MIT krb5 and Heimdal
 * compute it), keyed with the service key under key usage 17 (KERB_NON_KERB_CKSUM_SALT) and of the checksum type
 * of that key's enctype; CLIENT_INFO's time equal to the ticket's authtime and its name equal to the ticket's
 * client. The KDC signature is not checked: it needs the krbtgt key, which a service never has.
 *
 * <p>Longer than the project's other files on purpose: the bounded NDR reader and every buffer's bounds rules are
 * one hostile-input surface, kept in one place so that they are read, reviewed and fuzzed ({@code PacFuzzTest})
 * together rather than split into classes that each trust the other's checks.
 */
public final class PacDecoder {

    static final String MALFORMED = "PAC malformed";
    static final String SIGNATURE_INVALID = "PAC signature invalid";
    static final String CLIENT_MISMATCH = "PAC names another client than the ticket";

    static final int LOGON_INFO = 1;
    static final int SERVER_CHECKSUM = 6;
    static final int PRIVSVR_CHECKSUM = 7;
    static final int CLIENT_INFO = 10;
    static final int UPN_DNS_INFO = 12;

    /** [MS-PAC] §2.8: KERB_NON_KERB_CKSUM_SALT. */
    static final int PAC_KEY_USAGE = 17;
    /** Far more buffers than any KDC writes (Windows writes about ten). */
    static final int MAX_BUFFERS = 64;
    /** Far more groups than AD's token limit allows (about 1,000 SIDs). */
    static final int MAX_SIDS = 4096;
    /** FILETIME of 1970-01-01T00:00:00Z, in 100 ns units since 1601. */
    private static final long FILETIME_EPOCH = 116_444_736_000_000_000L;

    private PacDecoder() {
    }

    /**
     * Decodes {@code pac} and verifies it.
     *
     * @param pac            the ad-data of the AD-WIN2K-PAC element
     * @param serviceEnctype enctype of the key that decrypted the ticket
     * @param serviceKey     that key
     * @param clientName     the ticket's client name without its realm, components joined by {@code /}
     * @param client         the ticket's client with its realm (an enterprise name's PAC may carry either)
     * @param authTime       the ticket's authtime
     */
    public static Pac verify(byte[] pac, int serviceEnctype, byte[] serviceKey, String clientName, String client,
            Instant authTime) throws KerberosVerificationException {
        Buffers buffers = buffers(pac);
        verifySignature(pac, buffers, serviceEnctype, serviceKey);
        String logonName = clientInfo(pac, buffers.clientInfo(), authTime);
        if (!logonName.equalsIgnoreCase(clientName) && !logonName.equalsIgnoreCase(client)) {
            throw new KerberosVerificationException(Reason.PAC_INVALID, CLIENT_MISMATCH,
                    "PAC logon name " + logonName + ", ticket client " + client);
        }
        return pac(pac, buffers, logonName);
    }

    /** Decodes without checking signature or client, for the fuzz test and diagnostics. */
    static Pac decodeUnverified(byte[] pac) throws KerberosVerificationException {
        Buffers buffers = buffers(pac);
        String logonName = clientInfo(pac, buffers.clientInfo(), null);
        return pac(pac, buffers, logonName);
    }

    private static Pac pac(byte[] pac, Buffers buffers, String logonName) throws KerberosVerificationException {
        LogonInfo logon = buffers.logonInfo() == null ? null : logonInfo(pac, buffers.logonInfo());
        String upn = buffers.upnDnsInfo() == null ? null : upn(pac, buffers.upnDnsInfo());
        return logon == null ? new Pac(null, List.of(), upn, logonName)
                : new Pac(logon.userSid(), logon.groupSids(), upn, logonName);
    }

    record Buffer(int type, int offset, int size) {
    }

    record Buffers(Buffer logonInfo, Buffer clientInfo, Buffer serverChecksum, Buffer privsvrChecksum,
            Buffer upnDnsInfo) {
    }

    private record LogonInfo(String userSid, List<String> groupSids) {
    }

    /** [MS-PAC] §2.3 PACTYPE and §2.4 PAC_INFO_BUFFER: the table of buffers, each inside the PAC. */
    static Buffers buffers(byte[] pac) throws KerberosVerificationException {
        Reader r = new Reader(pac, 0, pac.length);
        long count = r.u32();
        long version = r.u32();
        if (version != 0) {
            throw malformed("PAC version " + version);
        }
        if (count < 1 || count > MAX_BUFFERS || 8 + count * 16 > pac.length) {
            throw malformed("PAC with " + count + " buffers in " + pac.length + " bytes");
        }
        int headerEnd = 8 + (int) count * 16;
        Buffer[] wanted = new Buffer[UPN_DNS_INFO + 1];
        for (int i = 0; i < count; i++) {
            long type = r.u32();
            long size = r.u32();
            long offset = r.u64();
            if (offset < headerEnd || offset > pac.length || size > pac.length - offset) {
                throw malformed("PAC buffer " + type + " of " + size + " bytes at " + offset + " outside the PAC");
            }
            if (type == LOGON_INFO || type == SERVER_CHECKSUM || type == PRIVSVR_CHECKSUM || type == CLIENT_INFO
                    || type == UPN_DNS_INFO) {
                if (wanted[(int) type] != null) {
                    throw malformed("PAC buffer " + type + " twice");
                }
                wanted[(int) type] = new Buffer((int) type, (int) offset, (int) size);
            }
        }
        if (wanted[CLIENT_INFO] == null || wanted[SERVER_CHECKSUM] == null) {
            throw malformed("PAC lacks its client info or server signature");
        }
        return new Buffers(wanted[LOGON_INFO], wanted[CLIENT_INFO], wanted[SERVER_CHECKSUM], wanted[PRIVSVR_CHECKSUM],
                wanted[UPN_DNS_INFO]);
    }

    /** [MS-PAC] §2.8: PAC_SIGNATURE_DATA of the server signature, verified over the PAC with both signatures zeroed. */
    private static void verifySignature(byte[] pac, Buffers buffers, int enctype, byte[] key)
            throws KerberosVerificationException {
        Buffer server = buffers.serverChecksum();
        Reader r = new Reader(pac, server.offset(), server.size());
        int type = (int) r.u32();
        int length = signatureLength(type);
        if (checksumType(enctype) != type || length < 0) {
            throw new KerberosVerificationException(Reason.PAC_SIGNATURE, SIGNATURE_INVALID,
                    "PAC server signature of type " + type + " for a key of enctype " + Enctypes.name(enctype));
        }
        byte[] signature = r.bytes(length);
        byte[] zeroed = pac.clone();
        zero(zeroed, server);
        if (buffers.privsvrChecksum() != null) {
            zero(zeroed, buffers.privsvrChecksum());
        }
        boolean valid = KerberosCrypto.verifyChecksum(type, key, zeroed, signature, PAC_KEY_USAGE);
        if (!valid) {
            throw new KerberosVerificationException(Reason.PAC_SIGNATURE, SIGNATURE_INVALID,
                    "PAC server signature does not verify with the service key");
        }
    }

    /** Zeroes a signature buffer after its 4-byte type, as MIT krb5 and Heimdal do before computing it. */
    private static void zero(byte[] pac, Buffer buffer) throws KerberosVerificationException {
        if (buffer.size() < 4) {
            throw malformed("PAC signature buffer of " + buffer.size() + " bytes");
        }
        Arrays.fill(pac, buffer.offset() + 4, buffer.offset() + buffer.size(), (byte) 0);
    }

    /**
     * The checksum type a KDC uses for a PAC sealed with a key of {@code enctype} ([MS-PAC] §2.8; RFC 8009 §8 for
     * 19 and 20, whose checksum numbers equal their enctype numbers), or 0 for an enctype that has none.
     */
    static int checksumType(int enctype) {
        return switch (enctype) {
            case 17 -> CheckSumType.HMAC_SHA1_96_AES128.getValue();
            case 18 -> CheckSumType.HMAC_SHA1_96_AES256.getValue();
            case 19, 20 -> enctype;
            case 23 -> CheckSumType.HMAC_MD5_ARCFOUR.getValue();
            default -> 0;
        };
    }

    /** The length of a signature of {@code type}: 12 for aes-sha1, 16 and 24 for RFC 8009's, 16 for rc4; else -1. */
    private static int signatureLength(int type) {
        if (type == CheckSumType.HMAC_SHA1_96_AES128.getValue() || type == CheckSumType.HMAC_SHA1_96_AES256.getValue()) {
            return 12;
        }
        return switch (type) {
            case 19 -> 16;
            case 20 -> 24;
            default -> type == CheckSumType.HMAC_MD5_ARCFOUR.getValue() ? 16 : -1;
        };
    }

    /** [MS-PAC] §2.7 PAC_CLIENT_INFO: its time must be the ticket's authtime (when given); returns the name. */
    private static String clientInfo(byte[] pac, Buffer buffer, Instant authTime) throws KerberosVerificationException {
        Reader r = new Reader(pac, buffer.offset(), buffer.size());
        long clientId = r.u64();
        int nameLength = r.u16();
        if (nameLength % 2 != 0) {
            throw malformed("PAC client name of odd length " + nameLength);
        }
        String name = r.utf16(nameLength);
        if (authTime != null && filetimeSeconds(clientId) != authTime.getEpochSecond()) {
            throw new KerberosVerificationException(Reason.PAC_INVALID, CLIENT_MISMATCH,
                    "PAC client time differs from the ticket's authtime " + authTime);
        }
        return name;
    }

    private static long filetimeSeconds(long filetime) {
        return Math.floorDiv(filetime - FILETIME_EPOCH, 10_000_000L);
    }

    /** [MS-PAC] §2.10 UPN_DNS_INFO: the UPN, read by its offset and length from the buffer's start. */
    private static String upn(byte[] pac, Buffer buffer) throws KerberosVerificationException {
        Reader r = new Reader(pac, buffer.offset(), buffer.size());
        int upnLength = r.u16();
        int upnOffset = r.u16();
        if (upnLength == 0) {
            return null;
        }
        if (upnLength % 2 != 0 || upnOffset > buffer.size() || upnLength > buffer.size() - upnOffset) {
            throw malformed("PAC UPN of " + upnLength + " bytes at " + upnOffset + " outside its buffer");
        }
        return new Reader(pac, buffer.offset() + upnOffset, upnLength).utf16(upnLength);
    }

    /**
     * [MS-PAC] §2.5 KERB_VALIDATION_INFO, NDR-encoded ([MS-RPCE] §2.2.6 type serialization version 1): the fixed
     * part with its pointers, then the pointed-to data in the order of the pointers. Only what SPEC §5a needs is kept;
     * every other deferred value is still walked, since the ones Kerbex needs come after it.
     */
    private static LogonInfo logonInfo(byte[] pac, Buffer buffer) throws KerberosVerificationException {
        Reader r = new Reader(pac, buffer.offset(), buffer.size());
        // Common type header (version 1, little-endian, 8 bytes) and private header (object length, filler).
        int version = r.u8();
        int endianness = r.u8();
        int headerLength = r.u16();
        r.skip(4);
        if (version != 1 || endianness != 0x10 || headerLength != 8) {
            throw malformed("LOGON_INFO NDR header " + version + "/" + endianness + "/" + headerLength);
        }
        long objectLength = r.u32();
        r.skip(4);
        if (objectLength > r.remaining()) {
            throw malformed("LOGON_INFO of " + objectLength + " bytes in " + r.remaining());
        }
        r = new Reader(pac, r.position(), (int) objectLength);
        if (r.u32() == 0) {
            throw malformed("LOGON_INFO is a null pointer");
        }
        r.skip(6 * 8);                       // LogonTime … PasswordMustChange
        long[] strings1 = new long[6];       // EffectiveName, FullName, LogonScript, ProfilePath, HomeDirectory, Drive
        for (int i = 0; i < strings1.length; i++) {
            strings1[i] = unicodeStringPointer(r);
        }
        r.u16();                             // LogonCount
        r.u16();                             // BadPasswordCount
        long userId = r.u32();
        long primaryGroupId = r.u32();
        long groupCount = r.u32();
        long groupIdsPointer = r.u32();
        r.u32();                             // UserFlags
        r.skip(16);                          // UserSessionKey
        long logonServer = unicodeStringPointer(r);
        long logonDomainName = unicodeStringPointer(r);
        long logonDomainIdPointer = r.u32();
        r.skip(8 + 4 + 4 + 8 + 8 + 4 + 4);   // Reserved1, UserAccountControl, SubAuthStatus, last logons, Reserved3
        long sidCount = r.u32();
        long extraSidsPointer = r.u32();
        long resourceDomainPointer = r.u32();
        long resourceGroupCount = r.u32();
        long resourceGroupIdsPointer = r.u32();

        for (long pointer : strings1) {
            skipString(r, pointer);
        }
        long[] groupRids = ridArray(r, groupIdsPointer, groupCount, "GroupIds");
        skipString(r, logonServer);
        skipString(r, logonDomainName);
        if (logonDomainIdPointer == 0) {
            throw malformed("LOGON_INFO has no logon domain SID");
        }
        String domainSid = sid(r);
        List<String> extraSids = new ArrayList<>();
        if (extraSidsPointer != 0) {
            long count = conformantCount(r, sidCount, "ExtraSids", 8);
            long[] pointers = new long[(int) count];
            for (int i = 0; i < count; i++) {
                pointers[i] = r.u32();
                r.u32();                     // Attributes
            }
            for (long pointer : pointers) {
                if (pointer != 0) {
                    extraSids.add(sid(r));
                }
            }
        } else if (sidCount != 0) {
            throw malformed("LOGON_INFO counts " + sidCount + " extra SIDs but has none");
        }
        String resourceDomain = resourceDomainPointer == 0 ? null : sid(r);
        long[] resourceRids = ridArray(r, resourceGroupIdsPointer, resourceGroupCount, "ResourceGroupIds");
        if (resourceRids.length > 0 && resourceDomain == null) {
            throw malformed("LOGON_INFO has resource groups but no resource domain SID");
        }

        Set<String> groups = new LinkedHashSet<>();
        groups.add(domainSid + "-" + primaryGroupId);
        for (long rid : groupRids) {
            groups.add(domainSid + "-" + rid);
        }
        groups.addAll(extraSids);
        for (long rid : resourceRids) {
            groups.add(resourceDomain + "-" + rid);
        }
        return new LogonInfo(domainSid + "-" + userId, List.copyOf(groups));
    }

    /** RPC_UNICODE_STRING: Length, MaximumLength, Buffer pointer; returns the pointer (0 = no string). */
    private static long unicodeStringPointer(Reader r) throws KerberosVerificationException {
        int length = r.u16();
        int maximum = r.u16();
        long pointer = r.u32();
        if (length > maximum || length % 2 != 0) {
            throw malformed("LOGON_INFO string of length " + length + " and maximum " + maximum);
        }
        return pointer;
    }

    /** A deferred conformant varying WCHAR array: MaximumCount, Offset, ActualCount, the characters. */
    private static void skipString(Reader r, long pointer) throws KerberosVerificationException {
        if (pointer == 0) {
            return;
        }
        long maximum = r.u32();
        long offset = r.u32();
        long actual = r.u32();
        if (offset != 0 || actual > maximum || actual * 2 > r.remaining()) {
            throw malformed("LOGON_INFO string of " + actual + " characters in " + r.remaining() + " bytes");
        }
        r.skip((int) actual * 2);
    }

    /** A deferred conformant array of GROUP_MEMBERSHIP (RelativeId, Attributes): the RIDs. */
    private static long[] ridArray(Reader r, long pointer, long count, String what)
            throws KerberosVerificationException {
        if (pointer == 0) {
            if (count != 0) {
                throw malformed("LOGON_INFO counts " + count + " " + what + " but has none");
            }
            return new long[0];
        }
        long n = conformantCount(r, count, what, 8);
        long[] rids = new long[(int) n];
        for (int i = 0; i < n; i++) {
            rids[i] = r.u32();
            r.u32();                         // Attributes
        }
        return rids;
    }

    /** The conformance count of a deferred array: equal to the count the structure announced, and present in full. */
    private static long conformantCount(Reader r, long announced, String what, int elementSize)
            throws KerberosVerificationException {
        long maximum = r.u32();
        if (maximum != announced || announced > MAX_SIDS || announced * elementSize > r.remaining()) {
            throw malformed("LOGON_INFO " + what + " of " + maximum + " (announced " + announced + ") in "
                    + r.remaining() + " bytes");
        }
        return announced;
    }

    /** RPC_SID ([MS-DTYP] §2.4.2.3) behind a pointer: conformance count, then the SID; as {@code S-1-5-21-…}. */
    private static String sid(Reader r) throws KerberosVerificationException {
        long count = r.u32();
        int revision = r.u8();
        int subAuthorities = r.u8();
        if (revision != 1 || subAuthorities != count || subAuthorities > 15) {
            throw malformed("SID of revision " + revision + " with " + subAuthorities + " sub-authorities");
        }
        long authority = 0;
        for (int i = 0; i < 6; i++) {
            authority = (authority << 8) | r.u8();
        }
        StringBuilder out = new StringBuilder("S-1-");
        // [MS-DTYP] §2.4.2.1: decimal below 2^32, else hexadecimal.
        out.append(authority < (1L << 32) ? Long.toString(authority) : String.format("0x%012X", authority));
        for (int i = 0; i < subAuthorities; i++) {
            out.append('-').append(r.u32());
        }
        return out.toString();
    }

    private static KerberosVerificationException malformed(String detail) {
        return new KerberosVerificationException(Reason.PAC_INVALID, MALFORMED, detail);
    }

    /**
     * Little-endian reads inside {@code [start, start + length)}; every read checks the bytes are there, and 2- and
     * 4-byte values are aligned relative to {@code start} as NDR aligns them (a PAC buffer starts 8-aligned).
     */
    private static final class Reader {
        private final byte[] in;
        private final int start;
        private final int end;
        private int at;

        Reader(byte[] in, int start, int length) throws KerberosVerificationException {
            if (start < 0 || length < 0 || start > in.length || length > in.length - start) {
                throw malformed("range of " + length + " bytes at " + start + " outside " + in.length);
            }
            this.in = in;
            this.start = start;
            this.end = start + length;
            this.at = start;
        }

        int position() {
            return at;
        }

        int remaining() {
            return end - at;
        }

        private void need(int n) throws KerberosVerificationException {
            if (n > end - at) {
                throw malformed("PAC value of " + n + " bytes past the end of its buffer");
            }
        }

        private void align(int n) throws KerberosVerificationException {
            int pad = (n - (at - start) % n) % n;
            need(pad);
            at += pad;
        }

        void skip(int n) throws KerberosVerificationException {
            need(n);
            at += n;
        }

        int u8() throws KerberosVerificationException {
            need(1);
            return in[at++] & 0xff;
        }

        int u16() throws KerberosVerificationException {
            align(2);
            need(2);
            int v = (in[at] & 0xff) | (in[at + 1] & 0xff) << 8;
            at += 2;
            return v;
        }

        long u32() throws KerberosVerificationException {
            align(4);
            need(4);
            long v = (in[at] & 0xffL) | (in[at + 1] & 0xffL) << 8 | (in[at + 2] & 0xffL) << 16
                    | (in[at + 3] & 0xffL) << 24;
            at += 4;
            return v;
        }

        /** An unaligned 64-bit value (PACTYPE offsets, FILETIMEs); a value above 2^63 reads as negative. */
        long u64() throws KerberosVerificationException {
            long low = u32();
            long high = u32();
            long v = high << 32 | low;
            return v < 0 ? Long.MAX_VALUE : v;
        }

        byte[] bytes(int n) throws KerberosVerificationException {
            need(n);
            byte[] out = Arrays.copyOfRange(in, at, at + n);
            at += n;
            return out;
        }

        String utf16(int n) throws KerberosVerificationException {
            need(n);
            String s = new String(in, at, n, StandardCharsets.UTF_16LE);
            at += n;
            return s;
        }
    }
}
