package dev.kerbex.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import dev.kerbex.kerberos.KerberosCrypto;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApOptions;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncoding;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncodingType;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * Builds AP-REQs directly from Kerby's ASN.1 types, sealing the ticket with a key derived from the
 * service's password, so a test controls every field: times, kvno, enctypes, flags, the client the
 * authenticator names. Defaults: client {@link TestKdc#ALICE}, aes256 ticket and session key, kvno 1,
 * ticket valid from {@code now} for an hour, authenticator ctime {@code now}.
 *
 * <pre>{@code
 * byte[] token = TicketForge.forService(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD).at(now)
 *         .endTime(now.minusSeconds(600)).gss();
 * }</pre>
 */
public final class TicketForge {

    private static final byte[] KRB5_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02};
    private static final byte[] SPNEGO_OID = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};

    private final String service;
    private EncryptionKey serviceKeyOverride;
    private String servicePassword;
    private String client = TestKdc.ALICE;
    private String authenticatorClient;
    private String enctype = "aes256-cts-hmac-sha1-96";
    private String sessionEnctype;
    private Integer kvno = 1;
    private Instant authTime;
    private Instant startTime;
    private boolean startTimeSet;
    private Instant endTime;
    private Instant ctime;
    private boolean invalid;
    private PacBuilder pac;

    private TicketForge(String service, String servicePassword) {
        this.service = service;
        this.servicePassword = servicePassword;
        at(Instant.now());
    }

    /** A ticket for {@code service} (full principal name) sealed with a key derived from {@code password}. */
    public static TicketForge forService(String service, String password) {
        return new TicketForge(service, password);
    }

    /** Sets every time relative to {@code now}: authtime and starttime now, endtime in an hour, ctime now. */
    public TicketForge at(Instant now) {
        Instant second = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        authTime = second;
        startTime = second;
        startTimeSet = true;
        endTime = second.plus(Duration.ofHours(1));
        ctime = second;
        return this;
    }

    public TicketForge client(String principal) {
        this.client = principal;
        return this;
    }

    /** The client the authenticator names, when it should differ from the ticket's. */
    public TicketForge authenticatorClient(String principal) {
        this.authenticatorClient = principal;
        return this;
    }

    /** The ticket's enctype (and the session key's, unless {@link #sessionEnctype(String)} is set). */
    public TicketForge enctype(String name) {
        this.enctype = name;
        return this;
    }

    public TicketForge sessionEnctype(String name) {
        this.sessionEnctype = name;
        return this;
    }

    public TicketForge kvno(int value) {
        this.kvno = value;
        return this;
    }

    /** Leaves the kvno out of the ticket's EncryptedData. */
    public TicketForge noKvno() {
        this.kvno = null;
        return this;
    }

    /** Seals the ticket with a key from another password than the service's. */
    public TicketForge servicePassword(String password) {
        this.servicePassword = password;
        return this;
    }

    public TicketForge serviceKey(EncryptionKey key) {
        this.serviceKeyOverride = key;
        return this;
    }

    public TicketForge authTime(Instant value) {
        this.authTime = value;
        return this;
    }

    /** The starttime; null leaves it out (authtime then counts). */
    public TicketForge startTime(Instant value) {
        this.startTime = value;
        this.startTimeSet = value != null;
        return this;
    }

    public TicketForge endTime(Instant value) {
        this.endTime = value;
        return this;
    }

    public TicketForge ctime(Instant value) {
        this.ctime = value;
        return this;
    }

    /** Puts a PAC into the ticket (AD-IF-RELEVANT → AD-WIN2K-PAC), signed with the service key. */
    public TicketForge pac(PacBuilder builder) {
        this.pac = builder;
        return this;
    }

    /** Sets the ticket's INVALID flag. */
    public TicketForge invalid() {
        this.invalid = true;
        return this;
    }

    /** The raw KRB_AP_REQ. */
    public byte[] apReq() {
        try {
            EncryptionKey sessionKey = KerberosCrypto.randomKey(
                    TestKeytab.number(sessionEnctype != null ? sessionEnctype : enctype));
            EncTicketPart part = new EncTicketPart();
            TicketFlags flags = new TicketFlags();
            flags.setFlag(TicketFlag.FORWARDABLE);
            flags.setFlag(TicketFlag.PRE_AUTH);
            if (invalid) {
                flags.setFlag(TicketFlag.INVALID);
            }
            part.setFlags(flags);
            part.setKey(sessionKey);
            part.setCrealm(realm(client));
            part.setCname(name(client, NameType.NT_PRINCIPAL));
            TransitedEncoding transited = new TransitedEncoding();
            transited.setTrType(TransitedEncodingType.DOMAIN_X500_COMPRESS);
            transited.setContents(new byte[0]);
            part.setTransited(transited);
            part.setAuthTime(new KerberosTime(authTime.toEpochMilli()));
            if (startTimeSet) {
                part.setStartTime(new KerberosTime(startTime.toEpochMilli()));
            }
            part.setEndTime(new KerberosTime(endTime.toEpochMilli()));

            EncryptionKey serviceKey = serviceKeyOverride != null
                    ? serviceKeyOverride : TestKeytab.key(service, servicePassword, enctype);
            if (pac != null) {
                part.setAuthorizationData(PacBuilder.ifRelevant(pac.build(serviceKey, authTime)));
            }
            EncryptedData encPart = KerberosCrypto.encrypt(part.encode(), serviceKey, KeyUsage.KDC_REP_TICKET);
            if (kvno != null) {
                encPart.setKvno(kvno);
            }
            Ticket ticket = new Ticket();
            ticket.setTktKvno(5);
            ticket.setSname(name(service, NameType.NT_SRV_INST));
            ticket.setRealm(realm(service));
            ticket.setEncryptedEncPart(encPart);
            return apReq(ticket, sessionKey, authenticatorClient != null ? authenticatorClient : client, ctime);
        } catch (KrbException | IOException e) {
            throw new IllegalStateException("cannot forge AP-REQ", e);
        }
    }

    /** RFC 4121 §4.1 GSS-API krb5 initial context token around {@link #apReq()}. */
    public byte[] gss() {
        return gssWrap(apReq());
    }

    /** RFC 4178 SPNEGO NegTokenInit around {@link #gss()}. */
    public byte[] spnego() {
        return spnegoWrap(gss());
    }

    /**
     * An AP-REQ for a ticket obtained elsewhere (e.g. from a Kerby {@code KrbClient}), with an
     * authenticator for {@code client} at {@code ctime} sealed with {@code sessionKey}.
     */
    public static byte[] apReq(Ticket ticket, EncryptionKey sessionKey, String client, Instant ctime) {
        try {
            Authenticator authenticator = new Authenticator();
            authenticator.setAuthenticatorVno(5);
            authenticator.setCrealm(realm(client));
            authenticator.setCname(name(client, NameType.NT_PRINCIPAL));
            Instant second = ctime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            authenticator.setCtime(new KerberosTime(second.toEpochMilli()));
            authenticator.setCusec((int) ((ctime.getNano() / 1000) % 1_000_000));
            ApReq apReq = new ApReq();
            apReq.setApOptions(new ApOptions());
            apReq.setTicket(ticket);
            apReq.setEncryptedAuthenticator(
                    KerberosCrypto.encrypt(authenticator.encode(), sessionKey, KeyUsage.AP_REQ_AUTH));
            return apReq.encode();
        } catch (KrbException | IOException e) {
            throw new IllegalStateException("cannot build AP-REQ", e);
        }
    }

    /** Wraps a raw AP-REQ as an RFC 4121 §4.1 initial context token: 0x60, krb5 OID, TOK_ID 01 00. */
    public static byte[] gssWrap(byte[] apReq) {
        return tlv(0x60, concat(KRB5_OID, new byte[] {0x01, 0x00}, apReq));
    }

    /** Wraps a GSS krb5 token as an RFC 4178 NegTokenInit offering krb5 only. */
    public static byte[] spnegoWrap(byte[] gssToken) {
        byte[] mechTypes = tlv(0xa0, tlv(0x30, KRB5_OID));
        byte[] mechToken = tlv(0xa2, tlv(0x04, gssToken));
        byte[] negTokenInit = tlv(0xa0, tlv(0x30, concat(mechTypes, mechToken)));
        return tlv(0x60, concat(SPNEGO_OID, negTokenInit));
    }

    /** Flips a bit in the ticket's cipher text. */
    public static byte[] tamperTicketCipher(byte[] rawApReq) {
        try {
            ApReq apReq = new ApReq();
            apReq.decode(rawApReq);
            byte[] cipher = apReq.getTicket().getEncryptedEncPart().getCipher();
            cipher[cipher.length / 2] ^= 0x01;
            apReq.getTicket().getEncryptedEncPart().setCipher(cipher);
            return apReq.encode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flips a bit in the authenticator's cipher text. */
    public static byte[] tamperAuthenticatorCipher(byte[] rawApReq) {
        try {
            ApReq apReq = new ApReq();
            apReq.decode(rawApReq);
            byte[] cipher = apReq.getEncryptedAuthenticator().getCipher();
            cipher[cipher.length / 2] ^= 0x01;
            apReq.getEncryptedAuthenticator().setCipher(cipher);
            return apReq.encode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DER TLV with a definite length. */
    public static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String realm(String principal) {
        return principal.substring(principal.lastIndexOf('@') + 1);
    }

    private static PrincipalName name(String principal, NameType type) {
        String name = principal.substring(0, principal.lastIndexOf('@'));
        return new PrincipalName(List.copyOf(Arrays.asList(name.split("/"))), type);
    }
}
