package dev.kerbex.kerberos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.kerby.kerberos.kerb.ccache.CredCacheOutputStream;
import org.apache.kerby.kerberos.kerb.ccache.Credential;
import org.apache.kerby.kerberos.kerb.ccache.CredentialCache;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart;
import org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;
import org.apache.kerby.kerberos.kerb.type.ticket.Tickets;

/**
 * The two forms in which the inverse path hands out a service ticket (SPEC §2): a DER KRB-CRED and an MIT
 * credential cache (file format version 4). Both carry the session key: whoever holds them can use the
 * ticket, which is why the token endpoint answers no-store and must run behind TLS.
 */
public final class TicketEncodings {
    private TicketEncodings() {
    }

    /**
     * KRB-CRED with its {@code EncKrbCredPart} in the clear (etype 0), as RFC 4120 §5.8.1 allows when the
     * message travels over an already protected channel and as MIT, Heimdal and the JDK accept.
     */
    public static byte[] krbCred(ServiceTicket t) {
        try {
            KrbCredInfo info = new KrbCredInfo();
            info.set(KrbCredInfo.Field.KEY, sessionKey(t));
            info.setRealm(KrbCredInfo.Field.PREALM, realm(t.client()));
            info.set(KrbCredInfo.Field.PNAME, name(t.client(), NameType.NT_PRINCIPAL));
            info.set(KrbCredInfo.Field.FLAGS, flags(t.flags()));
            info.set(KrbCredInfo.Field.AUTHTIME, time(t.authTime()));
            info.set(KrbCredInfo.Field.STARTTIME, time(t.startTime()));
            info.set(KrbCredInfo.Field.ENDTIME, time(t.endTime()));
            info.set(KrbCredInfo.Field.RENEW_TILL, time(t.renewTill()));
            info.setRealm(KrbCredInfo.Field.SREALM, realm(t.server()));
            info.set(KrbCredInfo.Field.SNAME, name(t.server(), NameType.NT_SRV_INST));
            EncKrbCredPart part = new EncKrbCredPart();
            EncKrbCredPart.Infos infos = new EncKrbCredPart.Infos();
            infos.add(info);
            part.setTicketInfo(infos);

            EncryptedData clear = new EncryptedData();
            clear.setEType(EncryptionType.NONE);
            clear.setCipher(part.encode());
            KrbCred cred = new KrbCred();
            Tickets tickets = new Tickets();
            tickets.add(ticket(t));
            cred.setTickets(tickets);
            cred.setEncPart(clear);
            return cred.encode();
        } catch (IOException e) {
            throw new UncheckedIOException("KRB-CRED encoding failed", e);
        }
    }

    /** MIT's {@code KRB5_FCC_FVNO_4}: the first two bytes of a version 4 credential cache. */
    static final int CCACHE_V4 = CredentialCache.FCC_FVNO_4;
    /** Header tag of the KDC time offset, the one header field MIT defines (its value: two 32-bit integers). */
    static final int TAG_KDC_TIME_OFFSET = CredentialCache.FCC_TAG_DELTATIME;

    /**
     * An MIT ccache, file format version 4 (SPEC §2), whose default principal is the ticket's client, holding the
     * one ticket. Layout (MIT's "Credential cache file format"): {@code 05 04}, the header (its length, then the KDC
     * time offset tag: seconds and microseconds, zero because Kerbex's clock is the one the KDC answered), the
     * default principal, the credential. Kerby writes the principal and the credential for any version, but its
     * {@code CredentialCache.store} always writes version 3 (whose keyblock repeats the enctype), whatever
     * {@code setVersion} says, so the version and the header are written here and the rest by Kerby, for version 4.
     */
    public static byte[] ccache(ServiceTicket t) {
        try {
            EncTgsRepPart rep = new EncTgsRepPart();
            rep.setKey(sessionKey(t));
            rep.setFlags(flags(t.flags()));
            rep.setAuthTime(time(t.authTime()));
            rep.setStartTime(time(t.startTime() != null ? t.startTime() : t.authTime()));
            rep.setEndTime(time(t.endTime()));
            if (t.renewTill() != null) {
                rep.setRenewTill(time(t.renewTill()));
            }
            rep.setSrealm(realm(t.server()));
            rep.setSname(name(t.server(), NameType.NT_SRV_INST));
            SgtTicket sgt = new SgtTicket(ticket(t), rep);
            PrincipalName client = name(t.client(), NameType.NT_PRINCIPAL);
            sgt.setClientPrincipal(client);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (CredCacheOutputStream out = new KeyTypeKeepingStream(bytes)) {
                out.writeShort(CCACHE_V4);
                out.writeShort(2 + 2 + 8); // header length: one tag (tag, length, 8 bytes of value)
                out.writeShort(TAG_KDC_TIME_OFFSET);
                out.writeShort(8);
                out.writeInt(0); // seconds
                out.writeInt(0); // microseconds
                out.writePrincipal(client, CCACHE_V4);
                new Credential(sgt, client).store(out, CCACHE_V4);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("ccache encoding failed", e);
        }
    }

    private static Ticket ticket(ServiceTicket t) throws IOException {
        Ticket ticket = new Ticket();
        ticket.decode(t.ticket());
        return ticket;
    }

    private static EncryptionKey sessionKey(ServiceTicket t) {
        return KerberosCrypto.key(t.sessionKeyType(), t.sessionKey());
    }

    /** RFC 4120 §5.3: bit 0 of TicketFlags is the most significant bit of the 32-bit value. */
    private static TicketFlags flags(boolean[] bits) {
        int value = 0;
        for (int i = 0; bits != null && i < bits.length && i < 32; i++) {
            if (bits[i]) {
                value |= 1 << (31 - i);
            }
        }
        return new TicketFlags(value);
    }

    private static KerberosTime time(Instant instant) {
        return instant == null ? null : new KerberosTime(instant.toEpochMilli());
    }

    private static String realm(String principal) {
        return principal.substring(principal.lastIndexOf('@') + 1);
    }

    private static PrincipalName name(String principal, NameType type) {
        PrincipalName name = new PrincipalName(principal.substring(0, principal.lastIndexOf('@')), type);
        name.setRealm(realm(principal));
        return name;
    }

    /**
     * Kerby writes a keyblock's enctype from its {@code EncryptionType} enum, which has no RFC 8009 enctypes (it
     * would write 0 for 19 and 20): the number is taken from the key's DER instead.
     */
    private static final class KeyTypeKeepingStream extends CredCacheOutputStream {
        KeyTypeKeepingStream(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void writeKey(EncryptionKey key, int version) throws IOException {
            int type = KerberosCrypto.keyType(key);
            writeShort(type);
            if (version == CredentialCache.FCC_FVNO_3) {
                writeShort(type); // version 3 repeats the enctype
            }
            writeCountedOctets(key.getKeyData());
        }
    }
}
