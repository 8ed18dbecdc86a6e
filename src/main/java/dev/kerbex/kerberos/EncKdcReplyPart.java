package dev.kerbex.kerberos;

import org.apache.kerby.asn1.Asn1FieldInfo;
import org.apache.kerby.asn1.ExplicitField;
import org.apache.kerby.asn1.type.Asn1Integer;
import org.apache.kerby.kerberos.kerb.type.KerberosString;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.KrbAppSequenceType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.HostAddresses;
import org.apache.kerby.kerberos.kerb.type.base.LastReq;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.pa.PaData;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * The decrypted part of a KDC reply, RFC 4120 §5.4.2 with RFC 6806's {@code encrypted-pa-data [12]}, which
 * MIT KDCs send and Kerby 2.1.1's {@code EncKdcRepPart} cannot decode:
 * <pre>EncKDCRepPart ::= SEQUENCE { key [0], last-req [1], nonce [2], key-expiration [3], flags [4],
 *   authtime [5], starttime [6], endtime [7], renew-till [8], srealm [9], sname [10], caddr [11],
 *   encrypted-pa-data [12] }</pre>
 * under [APPLICATION 26] (EncTGSRepPart) or, as some KDCs send, [APPLICATION 25].
 */
final class EncKdcReplyPart extends KrbAppSequenceType {
    static final int TGS_TAG = 26;
    static final int AS_TAG = 25;

    enum Field implements ContextTag {
        KEY, LAST_REQ, NONCE, KEY_EXPIRATION, FLAGS, AUTHTIME, STARTTIME, ENDTIME, RENEW_TILL, SREALM, SNAME, CADDR,
        ENCRYPTED_PA_DATA
    }

    private static final Asn1FieldInfo[] FIELDS = {
        new ExplicitField(Field.KEY, EncryptionKey.class),
        new ExplicitField(Field.LAST_REQ, LastReq.class),
        new ExplicitField(Field.NONCE, Asn1Integer.class),
        new ExplicitField(Field.KEY_EXPIRATION, KerberosTime.class),
        new ExplicitField(Field.FLAGS, TicketFlags.class),
        new ExplicitField(Field.AUTHTIME, KerberosTime.class),
        new ExplicitField(Field.STARTTIME, KerberosTime.class),
        new ExplicitField(Field.ENDTIME, KerberosTime.class),
        new ExplicitField(Field.RENEW_TILL, KerberosTime.class),
        new ExplicitField(Field.SREALM, KerberosString.class),
        new ExplicitField(Field.SNAME, PrincipalName.class),
        new ExplicitField(Field.CADDR, HostAddresses.class),
        new ExplicitField(Field.ENCRYPTED_PA_DATA, PaData.class),
    };

    EncKdcReplyPart(int tag) {
        super(tag, FIELDS);
    }

    EncryptionKey key() {
        return getFieldAs(Field.KEY, EncryptionKey.class);
    }

    int nonce() {
        return getFieldAsInt(Field.NONCE);
    }

    TicketFlags flags() {
        TicketFlags flags = getFieldAs(Field.FLAGS, TicketFlags.class);
        return flags == null ? new TicketFlags() : flags;
    }

    KerberosTime authTime() {
        return getFieldAsTime(Field.AUTHTIME);
    }

    KerberosTime startTime() {
        return getFieldAsTime(Field.STARTTIME);
    }

    KerberosTime endTime() {
        return getFieldAsTime(Field.ENDTIME);
    }

    KerberosTime renewTill() {
        return getFieldAsTime(Field.RENEW_TILL);
    }
}
