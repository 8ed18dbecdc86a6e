package dev.kerbex.testing;

import dev.kerbex.kerberos.KerberosCrypto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationDataEntry;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationType;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;

/**
 * Writes an [MS-PAC] PAC as a Windows or Samba KDC does: LOGON_INFO (NDR), CLIENT_INFO, UPN_DNS_INFO, then the
 * server and KDC signatures, computed over the PAC with both signature fields zeroed. Defaults: domain
 * {@link #DOMAIN_SID}, user RID 1104 ({@code alice}), primary group 513, groups 1105 and 1106.
 */
public class PacBuilder {

    public static final String DOMAIN_SID = "S-1-5-21-1111111111-2222222222-3333333333";

    private String domainSid = DOMAIN_SID;
    private long userRid = 1104;
    private long primaryGroup = 513;
    private List<Long> groupRids = new ArrayList<>(List.of(1105L, 1106L));
    private List<String> extraSids = new ArrayList<>();
    private String resourceDomainSid;
    private List<Long> resourceRids = new ArrayList<>();
    private String logonName = "alice";
    private String upn = "alice@example.test";
    private Instant clientTime;
    private CheckSumType checksumType;
    private boolean withPrivsvr = true;

    public PacBuilder logonName(String value) {
        logonName = value;
        return this;
    }

    public PacBuilder upn(String value) {
        upn = value;
        return this;
    }

    public PacBuilder domainSid(String value) {
        domainSid = value;
        return this;
    }

    public PacBuilder user(long rid, long primaryGroupRid) {
        userRid = rid;
        primaryGroup = primaryGroupRid;
        return this;
    }

    public PacBuilder groups(Long... rids) {
        groupRids = new ArrayList<>(List.of(rids));
        return this;
    }

    public PacBuilder extraSids(String... sids) {
        extraSids = new ArrayList<>(List.of(sids));
        return this;
    }

    public PacBuilder resourceGroups(String domain, Long... rids) {
        resourceDomainSid = domain;
        resourceRids = new ArrayList<>(List.of(rids));
        return this;
    }

    /** CLIENT_INFO's time, when it should differ from the ticket's authtime. */
    public PacBuilder clientTime(Instant value) {
        clientTime = value;
        return this;
    }

    /** The server signature's checksum type, when it should differ from the one the key's enctype calls for. */
    public PacBuilder checksumType(CheckSumType value) {
        checksumType = value;
        return this;
    }

    public PacBuilder withoutKdcSignature() {
        withPrivsvr = false;
        return this;
    }

    /** The PAC, signed with {@code serviceKey}, its CLIENT_INFO at {@code authTime}. */
    public byte[] build(EncryptionKey serviceKey, Instant authTime) {
        int keyType = KerberosCrypto.keyType(serviceKey);
        // RFC 8009 §8: a key of enctype 19 or 20 signs with the checksum of the same number (16 and 24 bytes).
        boolean rfc8009 = checksumType == null && KerberosCrypto.isRfc8009(keyType);
        CheckSumType type = checksumType != null ? checksumType : switch (keyType) {
            case 17 -> CheckSumType.HMAC_SHA1_96_AES128;
            case 18 -> CheckSumType.HMAC_SHA1_96_AES256;
            default -> CheckSumType.HMAC_MD5_ARCFOUR;
        };
        int typeNumber = rfc8009 ? keyType : type.getValue();
        int sigLength = rfc8009 ? (keyType == 19 ? 16 : 24) : type == CheckSumType.HMAC_MD5_ARCFOUR ? 16 : 12;
        List<int[]> table = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        add(table, bodies, 1, logonInfo());
        add(table, bodies, 10, clientInfo(clientTime != null ? clientTime : authTime));
        if (upn != null) {
            add(table, bodies, 12, upnDnsInfo());
        }
        int server = add(table, bodies, 6, new byte[4 + sigLength]);
        int privsvr = withPrivsvr ? add(table, bodies, 7, new byte[4 + 12]) : -1;
        byte[] pac = layout(table, bodies);
        int[] serverEntry = table.get(server);
        le32(pac, serverEntry[2], typeNumber);
        if (privsvr >= 0) {
            le32(pac, table.get(privsvr)[2], (int) CheckSumType.HMAC_SHA1_96_AES256.getValue());
        }
        try {
            byte[] sig = (rfc8009 ? KerberosCrypto.checksum(serviceKey, pac, KeyUsage.fromValue(17))
                    : CheckSumHandler.checksumWithKey(type, pac, serviceKey.getKeyData(), KeyUsage.fromValue(17)))
                    .getChecksum();
            System.arraycopy(sig, 0, pac, serverEntry[2] + 4, sigLength);
            if (privsvr >= 0) {
                EncryptionKey krbtgt = EncryptionHandler.random2Key(EncryptionType.AES256_CTS_HMAC_SHA1_96);
                byte[] kdcSig = CheckSumHandler.checksumWithKey(CheckSumType.HMAC_SHA1_96_AES256,
                        java.util.Arrays.copyOfRange(sig, 0, sigLength), krbtgt.getKeyData(), KeyUsage.fromValue(17))
                        .getChecksum();
                System.arraycopy(kdcSig, 0, pac, table.get(privsvr)[2] + 4, 12);
            }
        } catch (KrbException e) {
            throw new IllegalStateException(e);
        }
        return pac;
    }

    /** The RFC 4120 authorization data a KDC puts in a ticket: AD-IF-RELEVANT holding AD-WIN2K-PAC. */
    public static AuthorizationData ifRelevant(byte[] pac) {
        try {
            AuthorizationData inner = new AuthorizationData();
            inner.add(new AuthorizationDataEntry(AuthorizationType.AD_WIN2K_PAC, pac));
            AuthorizationData outer = new AuthorizationData();
            outer.add(new AuthorizationDataEntry(AuthorizationType.AD_IF_RELEVANT, inner.encode()));
            return outer;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Offset of the first buffer of {@code type} in a PAC (from its PAC_INFO_BUFFER), for tampering tests. */
    public static int offsetOf(byte[] pac, int type) {
        int count = le32(pac, 0);
        for (int i = 0; i < count; i++) {
            if (le32(pac, 8 + i * 16) == type) {
                return le32(pac, 8 + i * 16 + 8);
            }
        }
        throw new IllegalArgumentException("no buffer " + type);
    }

    private static int add(List<int[]> table, List<byte[]> bodies, int type, byte[] body) {
        table.add(new int[] {type, body.length, 0});
        bodies.add(body);
        return table.size() - 1;
    }

    private static byte[] layout(List<int[]> table, List<byte[]> bodies) {
        int offset = 8 + table.size() * 16;
        for (int i = 0; i < table.size(); i++) {
            offset = (offset + 7) & ~7;
            table.get(i)[2] = offset;
            offset += bodies.get(i).length;
        }
        byte[] pac = new byte[(offset + 7) & ~7];
        le32(pac, 0, table.size());
        for (int i = 0; i < table.size(); i++) {
            int[] e = table.get(i);
            le32(pac, 8 + i * 16, e[0]);
            le32(pac, 8 + i * 16 + 4, e[1]);
            le32(pac, 8 + i * 16 + 8, e[2]);
            System.arraycopy(bodies.get(i), 0, pac, e[2], e[1]);
        }
        return pac;
    }

    private byte[] clientInfo(Instant time) {
        Ndr w = new Ndr();
        long filetime = time.getEpochSecond() * 10_000_000L + 116_444_736_000_000_000L;
        w.u32(filetime & 0xffffffffL);
        w.u32(filetime >>> 32);
        byte[] name = logonName.getBytes(StandardCharsets.UTF_16LE);
        w.u16(name.length);
        w.raw(name);
        return w.bytes();
    }

    private byte[] upnDnsInfo() {
        byte[] u = upn.getBytes(StandardCharsets.UTF_16LE);
        byte[] d = "EXAMPLE.TEST".getBytes(StandardCharsets.UTF_16LE);
        Ndr w = new Ndr();
        w.u16(u.length);
        w.u16(16);
        w.u16(d.length);
        w.u16(16 + u.length);
        w.u32(0);                         // Flags
        w.u32(0);                         // padding to the UPN at 16
        w.raw(u);
        w.raw(d);
        return w.bytes();
    }

    private byte[] logonInfo() {
        Ndr w = new Ndr();
        int pointer = 0x20000;
        w.u32(pointer++);                 // referent of KERB_VALIDATION_INFO
        for (int i = 0; i < 12; i++) {
            w.u32(0);                     // six FILETIMEs
        }
        String[] strings = {logonName, "Alice Example", "", "", "", ""};
        for (String s : strings) {
            w.u16(s.length() * 2);
            w.u16(s.length() * 2);
            w.u32(s.isEmpty() ? 0 : pointer++);
        }
        w.u16(3);                         // LogonCount
        w.u16(0);
        w.u32(userRid);
        w.u32(primaryGroup);
        w.u32(groupRids.size());
        w.u32(groupRids.isEmpty() ? 0 : pointer++);
        w.u32(extraSids.isEmpty() ? 0 : 0x20);   // UserFlags: EXTRA_SIDS
        w.raw(new byte[16]);
        String server = "DC1";
        String domain = "EXAMPLE";
        w.u16(server.length() * 2);
        w.u16(server.length() * 2);
        w.u32(pointer++);
        w.u16(domain.length() * 2);
        w.u16(domain.length() * 2);
        w.u32(pointer++);
        w.u32(pointer++);                 // LogonDomainId
        w.raw(new byte[8 + 4 + 4 + 8 + 8 + 4 + 4]);
        w.u32(extraSids.size());
        w.u32(extraSids.isEmpty() ? 0 : pointer++);
        w.u32(resourceDomainSid == null ? 0 : pointer++);
        w.u32(resourceRids.size());
        w.u32(resourceRids.isEmpty() ? 0 : pointer++);

        for (String s : strings) {
            if (!s.isEmpty()) {
                w.string(s);
            }
        }
        if (!groupRids.isEmpty()) {
            w.u32(groupRids.size());
            for (long rid : groupRids) {
                w.u32(rid);
                w.u32(7);
            }
        }
        w.string(server);
        w.string(domain);
        w.sid(domainSid);
        if (!extraSids.isEmpty()) {
            w.u32(extraSids.size());
            for (int i = 0; i < extraSids.size(); i++) {
                w.u32(pointer++);
                w.u32(7);
            }
            for (String sid : extraSids) {
                w.sid(sid);
            }
        }
        if (resourceDomainSid != null) {
            w.sid(resourceDomainSid);
        }
        if (!resourceRids.isEmpty()) {
            w.u32(resourceRids.size());
            for (long rid : resourceRids) {
                w.u32(rid);
                w.u32(7);
            }
        }
        byte[] body = w.bytes();
        Ndr out = new Ndr();
        out.raw(new byte[] {1, 0x10, 8, 0, (byte) 0xcc, (byte) 0xcc, (byte) 0xcc, (byte) 0xcc});
        out.u32((body.length + 7) & ~7);
        out.u32(0);
        out.raw(body);
        out.raw(new byte[((body.length + 7) & ~7) - body.length]);
        return out.bytes();
    }

    /** Little-endian NDR writer aligning 2- and 4-byte values to their size. */
    private static final class Ndr {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void align(int n) {
            while (out.size() % n != 0) {
                out.write(0);
            }
        }

        void u16(int v) {
            align(2);
            out.write(v);
            out.write(v >> 8);
        }

        void u32(long v) {
            align(4);
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)));
            }
        }

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        void string(String s) {
            u32(s.length());
            u32(0);
            u32(s.length());
            raw(s.getBytes(StandardCharsets.UTF_16LE));
        }

        void sid(String sid) {
            String[] parts = sid.split("-");
            int sub = parts.length - 3;
            u32(sub);
            out.write(1);
            out.write(sub);
            long authority = Long.parseLong(parts[2]);
            for (int i = 5; i >= 0; i--) {
                out.write((int) (authority >> (8 * i)));
            }
            for (int i = 3; i < parts.length; i++) {
                u32(Long.parseLong(parts[i]));
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static void le32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >> (8 * i));
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
