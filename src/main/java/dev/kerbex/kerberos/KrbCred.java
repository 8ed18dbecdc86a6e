package dev.kerbex.kerberos;

import org.apache.kerby.asn1.Asn1FieldInfo;
import org.apache.kerby.asn1.ExplicitField;
import org.apache.kerby.asn1.type.Asn1Integer;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.KrbMessage;
import org.apache.kerby.kerberos.kerb.type.base.KrbMessageType;
import org.apache.kerby.kerberos.kerb.type.ticket.Tickets;

/**
 * KRB-CRED (RFC 4120 §5.8.1), which Kerby 2.1.1 does not define, in Kerby's ASN.1 framework:
 * <pre>KRB-CRED ::= [APPLICATION 22] SEQUENCE { pvno [0], msg-type [1], tickets [2] SEQUENCE OF Ticket,
 *                                         enc-part [3] EncryptedData }</pre>
 *
 * <p>Public with a public constructor only because Kerby's decoder instantiates field types reflectively.
 */
public final class KrbCred extends KrbMessage {
    enum Field implements ContextTag {
        PVNO, MSG_TYPE, TICKETS, ENC_PART
    }

    private static final Asn1FieldInfo[] FIELDS = {
        new ExplicitField(Field.PVNO, Asn1Integer.class),
        new ExplicitField(Field.MSG_TYPE, Asn1Integer.class),
        new ExplicitField(Field.TICKETS, Tickets.class),
        new ExplicitField(Field.ENC_PART, EncryptedData.class),
    };

    public KrbCred() {
        super(KrbMessageType.KRB_CRED, FIELDS);
    }

    Tickets getTickets() {
        return getFieldAs(Field.TICKETS, Tickets.class);
    }

    void setTickets(Tickets tickets) {
        setFieldAs(Field.TICKETS, tickets);
    }

    EncryptedData getEncPart() {
        return getFieldAs(Field.ENC_PART, EncryptedData.class);
    }

    void setEncPart(EncryptedData encPart) {
        setFieldAs(Field.ENC_PART, encPart);
    }
}
