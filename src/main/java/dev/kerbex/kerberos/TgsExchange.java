package dev.kerbex.kerberos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kerby.asn1.Asn1FieldInfo;
import org.apache.kerby.asn1.ExplicitField;
import org.apache.kerby.asn1.type.Asn1Flags;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.KrbIntegers;
import org.apache.kerby.kerberos.kerb.type.KrbSequenceType;
import org.apache.kerby.kerberos.kerb.type.ap.ApOptions;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.KrbMessage;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOption;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOptions;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsRep;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsReq;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.Tickets;

/**
 * The two TGS exchanges of MS-SFU, built from Kerby's ASN.1 types and cryptography so that Kerbex sets the
 * requested end time ({@code till}) itself: the JDK's GSS-API offers no way to, and SPEC §6 requires that a
 * ticket never outlives the subject token. S4U2Self asks for a ticket to Kerbex in the user's name
 * (PA-FOR-USER); S4U2Proxy presents it as evidence ({@code cname-in-addl-tkt}) for a ticket to the target.
 * Messages go to the realm's KDCs through {@link KdcTransport} (UDP or TCP, failover, DNS discovery).
 */
final class TgsExchange {
    /** PA-PAC-OPTIONS (MS-KILE §2.2.10) flag: resource-based constrained delegation, bit 3. */
    private static final int PAC_OPTION_RBCD = 1 << (31 - 3);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The session key enctypes asked for, in MIT's default order ({@code default_tgs_enctypes}): aes-sha1 first as
     * before, then RFC 8009's, which a realm that permits only those (MIT 1.21, Windows Server 2025) chooses.
     */
    private static final List<Integer> SESSION_ETYPES = List.of(18, 17, 20, 19);

    /** Kerbex's TGT: the ticket, its session key, Kerbex's principal and the TGT's end. */
    record Tgt(Ticket ticket, EncryptionKey sessionKey, String client, Instant endTime) {
    }

    /** A TGS-REP's ticket and decrypted part, and the client it names. */
    record Reply(Ticket ticket, EncKdcReplyPart part, String client) {
    }

    private final KdcTransport transport;

    TgsExchange(KdcTransport transport) {
        this.transport = transport;
    }

    /** These KDCs, over TCP only. */
    TgsExchange(List<InetSocketAddress> kdcs, Duration timeout) {
        this(KdcTransport.fixed(kdcs.stream()
                .map(a -> new Krb5Realms.Kdc(a.getHostString(), a.getPort(), Krb5Realms.Transport.TCP)).toList(),
                Krb5Realms.DEFAULT_UDP_PREFERENCE_LIMIT, timeout));
    }

    /** S4U2Self: a forwardable ticket to Kerbex itself, client {@code user}. */
    Reply s4u2self(Tgt tgt, String user, String target, Instant till) throws S4uException {
        KdcReqBody body = body(tgt, tgt.client(), till);
        body.getKdcOptions().setFlag(KdcOption.FORWARDABLE);
        PaDataEntry forUser = new PaDataEntry(PaDataType.FOR_USER, encode(PaForUser.of(user, tgt.sessionKey().getKeyData())));
        return exchange("S4U2Self", tgt, body, List.of(forUser), user, target);
    }

    /** S4U2Proxy: a ticket to {@code target} in the name of the evidence ticket's client. */
    Reply s4u2proxy(Tgt tgt, Ticket evidence, String user, String target, Instant till) throws S4uException {
        KdcReqBody body = body(tgt, target, till);
        body.getKdcOptions().setFlag(KdcOption.FORWARDABLE);
        body.getKdcOptions().setFlag(KdcOption.CNAME_IN_ADDL_TKT);
        Tickets additional = new Tickets();
        additional.add(evidence);
        body.setAdditionalTickets(additional);
        return exchange("S4U2Proxy", tgt, body,
                List.of(new PaDataEntry(PaDataType.PAC_OPTIONS, encode(PaPacOptions.of(PAC_OPTION_RBCD)))),
                user, target);
    }

    private static RequestBody body(Tgt tgt, String server, Instant till) {
        RequestBody body = new RequestBody();
        body.setKdcOptions(new KdcOptions());
        body.setRealm(PrincipalName.extractRealm(tgt.client()));
        body.setSname(new PrincipalName(PrincipalName.extractName(server),
                server.contains("/") ? NameType.NT_SRV_INST : NameType.NT_PRINCIPAL));
        body.setTill(new KerberosTime(till.toEpochMilli() / 1000 * 1000));
        body.setNonce(RANDOM.nextInt() & Integer.MAX_VALUE);
        body.setEtypeNumbers(SESSION_ETYPES);
        return body;
    }

    private Reply exchange(String step, Tgt tgt, KdcReqBody body, List<PaDataEntry> extra, String user, String target)
            throws S4uException {
        byte[] request;
        try {
            TgsReq req = new TgsReq();
            req.setReqBody(body);
            req.addPaData(new PaDataEntry(PaDataType.TGS_REQ, encode(apReq(tgt, encode(body)))));
            extra.forEach(req::addPaData);
            request = req.encode();
        } catch (KrbException | IOException e) {
            throw new S4uException(S4uException.Kind.OTHER, step + ": could not build the request: " + e.getMessage(), e);
        }
        byte[] answer = transport.send(step, request);
        KrbMessage message;
        try {
            // The answer crossed the network: bounded in size (send) and DER depth before Kerby decodes it.
            Der.check(answer);
            message = KrbCodec.decodeMessage(ByteBuffer.wrap(answer));
        } catch (KerberosVerificationException | IOException | RuntimeException e) {
            throw new S4uException(S4uException.Kind.OTHER, step + ": the KDC's answer could not be decoded", e);
        }
        if (message instanceof KrbError error) {
            throw S4uException.fromKdc(step, user, target, code(error), error.getEtext());
        }
        if (!(message instanceof TgsRep rep)) {
            throw new S4uException(S4uException.Kind.OTHER, step + ": the KDC answered with an unexpected message", null);
        }
        EncKdcReplyPart part = decryptPart(step, rep, tgt.sessionKey());
        if (part.nonce() != body.getNonce()) {
            throw new S4uException(S4uException.Kind.OTHER, step + ": the KDC's answer does not match the request (nonce)", null);
        }
        if (rep.getCname() == null || rep.getCrealm() == null || rep.getTicket() == null) {
            // Kerby decodes a TGS-REP without these (they are not optional in RFC 4120 §5.4.2): refuse, never an NPE.
            throw new S4uException(S4uException.Kind.OTHER, step + ": the KDC's answer names no client or ticket", null);
        }
        String client = rep.getCname().getName() + "@" + rep.getCrealm();
        return new Reply(rep.getTicket(), part, client);
    }

    private static ApReq apReq(Tgt tgt, byte[] body) throws KrbException {
        long now = System.currentTimeMillis();
        Authenticator authenticator = new Authenticator();
        authenticator.setAuthenticatorVno(5);
        authenticator.setCrealm(PrincipalName.extractRealm(tgt.client()));
        authenticator.setCname(new PrincipalName(PrincipalName.extractName(tgt.client()),
                tgt.client().contains("/") ? NameType.NT_SRV_INST : NameType.NT_PRINCIPAL));
        authenticator.setCksum(KerberosCrypto.checksum(tgt.sessionKey(), body, KeyUsage.TGS_REQ_AUTH_CKSUM));
        authenticator.setCtime(new KerberosTime(now / 1000 * 1000));
        authenticator.setCusec((int) (now % 1000) * 1000);
        ApReq ap = new ApReq();
        ap.setApOptions(new ApOptions());
        ap.setTicket(tgt.ticket());
        ap.setEncryptedAuthenticator(KerberosCrypto.encrypt(encode(authenticator), tgt.sessionKey(), KeyUsage.TGS_REQ_AUTH));
        return ap;
    }

    private static EncKdcReplyPart decryptPart(String step, TgsRep rep, EncryptionKey sessionKey) throws S4uException {
        try {
            EncryptedData sealed = rep.getEncryptedEncPart();
            int etype = KerberosCrypto.etype(sealed);
            if (etype != KerberosCrypto.keyType(sessionKey)) {
                throw new KrbException("the reply is sealed with enctype " + Enctypes.name(etype) + ", not the TGT session key's");
            }
            byte[] plain = KerberosCrypto.decrypt(sealed, sessionKey, etype, KeyUsage.TGS_REP_ENCPART_SESSKEY);
            Der.checkPrefix(plain);
            // RFC 4120 says [APPLICATION 26]; some KDCs send EncASRepPart's 25, which clients accept.
            EncKdcReplyPart part = new EncKdcReplyPart(plain.length > 0 && (plain[0] & 0x1f) == EncKdcReplyPart.AS_TAG
                    ? EncKdcReplyPart.AS_TAG : EncKdcReplyPart.TGS_TAG);
            part.decode(plain);
            return part;
        } catch (KrbException | KerberosVerificationException | IOException | RuntimeException e) {
            throw new S4uException(S4uException.Kind.OTHER, step + ": the KDC's answer could not be decrypted", e);
        }
    }

    private static int code(KrbError error) {
        try {
            KrbErrorCode code = error.getErrorCode();
            return code == null ? -1 : code.getValue();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static byte[] encode(org.apache.kerby.asn1.type.Asn1Type value) {
        try {
            return KrbCodec.encode(value);
        } catch (KrbException e) {
            throw new IllegalStateException("DER encoding failed", e);
        }
    }

    /**
     * A KDC-REQ-BODY whose {@code etype} list may name enctypes Kerby's enum lacks (19 and 20 would be sent as 0).
     */
    private static final class RequestBody extends KdcReqBody {
        void setEtypeNumbers(List<Integer> etypes) {
            setFieldAs(KdcReqBodyField.ETYPE, new KrbIntegers(etypes));
        }
    }

    /**
     * <pre>PA-PAC-OPTIONS ::= SEQUENCE { flags [0] PACOptionFlags }</pre> (MS-KILE §2.2.10), sent as the JDK and
     * Windows do, so that resource-based constrained delegation works against Active Directory.
     *
     * <p>Public with a public constructor only because Kerby's decoder instantiates field types reflectively.
     */
    public static final class PaPacOptions extends KrbSequenceType {
        enum Field implements ContextTag {
            FLAGS
        }

        private static final Asn1FieldInfo[] FIELDS = {new ExplicitField(Field.FLAGS, Asn1Flags.class)};

        public PaPacOptions() {
            super(FIELDS);
        }

        static PaPacOptions of(int bits) {
            Asn1Flags flags = new Asn1Flags();
            flags.setFlags(bits);
            PaPacOptions options = new PaPacOptions();
            options.setFieldAs(Field.FLAGS, flags);
            return options;
        }
    }
}
