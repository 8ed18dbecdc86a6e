package dev.kerbex.kerberos;

import org.apache.kerby.asn1.Asn1FieldInfo;
import org.apache.kerby.asn1.ExplicitField;
import org.apache.kerby.asn1.type.Asn1Integer;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.KrbAppSequenceType;
import org.apache.kerby.kerberos.kerb.type.KrbSequenceOfType;
import org.apache.kerby.kerberos.kerb.type.base.HostAddress;

/**
 * <pre>EncKrbCredPart ::= [APPLICATION 29] SEQUENCE { ticket-info [0] SEQUENCE OF KrbCredInfo,
 *   nonce [1] OPTIONAL, timestamp [2] OPTIONAL, usec [3] OPTIONAL, s-address [4] OPTIONAL,
 *   r-address [5] OPTIONAL }</pre>
 *
 * <p>Public with a public constructor only because Kerby's decoder instantiates field types reflectively.
 */
public final class EncKrbCredPart extends KrbAppSequenceType {
    static final int TAG = 29;

    enum Field implements ContextTag {
        TICKET_INFO, NONCE, TIMESTAMP, USEC, S_ADDRESS, R_ADDRESS
    }

    /** SEQUENCE OF KrbCredInfo. */
    public static final class Infos extends KrbSequenceOfType<KrbCredInfo> {
        public Infos() {
        }
    }

    private static final Asn1FieldInfo[] FIELDS = {
        new ExplicitField(Field.TICKET_INFO, Infos.class),
        new ExplicitField(Field.NONCE, Asn1Integer.class),
        new ExplicitField(Field.TIMESTAMP, KerberosTime.class),
        new ExplicitField(Field.USEC, Asn1Integer.class),
        new ExplicitField(Field.S_ADDRESS, HostAddress.class),
        new ExplicitField(Field.R_ADDRESS, HostAddress.class),
    };

    public EncKrbCredPart() {
        super(TAG, FIELDS);
    }

    Infos getTicketInfo() {
        return getFieldAs(Field.TICKET_INFO, Infos.class);
    }

    void setTicketInfo(Infos infos) {
        setFieldAs(Field.TICKET_INFO, infos);
    }
}
