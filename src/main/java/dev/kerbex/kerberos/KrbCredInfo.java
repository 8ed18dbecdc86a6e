package dev.kerbex.kerberos;

import org.apache.kerby.asn1.Asn1FieldInfo;
import org.apache.kerby.asn1.ExplicitField;
import org.apache.kerby.kerberos.kerb.type.KerberosString;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.KrbSequenceType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.HostAddresses;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * <pre>KrbCredInfo ::= SEQUENCE { key [0] EncryptionKey, prealm [1], pname [2], flags [3], authtime [4],
 *   starttime [5], endtime [6], renew-till [7], srealm [8], sname [9], caddr [10] }</pre>
 * (all but the key OPTIONAL).
 *
 * <p>Public with a public constructor only because Kerby's decoder instantiates field types reflectively.
 */
public final class KrbCredInfo extends KrbSequenceType {
    enum Field implements ContextTag {
        KEY, PREALM, PNAME, FLAGS, AUTHTIME, STARTTIME, ENDTIME, RENEW_TILL, SREALM, SNAME, CADDR
    }

    private static final Asn1FieldInfo[] FIELDS = {
        new ExplicitField(Field.KEY, EncryptionKey.class),
        new ExplicitField(Field.PREALM, KerberosString.class),
        new ExplicitField(Field.PNAME, PrincipalName.class),
        new ExplicitField(Field.FLAGS, TicketFlags.class),
        new ExplicitField(Field.AUTHTIME, KerberosTime.class),
        new ExplicitField(Field.STARTTIME, KerberosTime.class),
        new ExplicitField(Field.ENDTIME, KerberosTime.class),
        new ExplicitField(Field.RENEW_TILL, KerberosTime.class),
        new ExplicitField(Field.SREALM, KerberosString.class),
        new ExplicitField(Field.SNAME, PrincipalName.class),
        new ExplicitField(Field.CADDR, HostAddresses.class),
    };

    public KrbCredInfo() {
        super(FIELDS);
    }

    void set(Field field, org.apache.kerby.asn1.type.Asn1Type value) {
        if (value != null) {
            setFieldAs(field, value);
        }
    }

    void setRealm(Field field, String realm) {
        setFieldAs(field, new KerberosString(realm));
    }

    EncryptionKey getKey() {
        return getFieldAs(Field.KEY, EncryptionKey.class);
    }

    PrincipalName getPname() {
        return getFieldAs(Field.PNAME, PrincipalName.class);
    }

    PrincipalName getSname() {
        return getFieldAs(Field.SNAME, PrincipalName.class);
    }

    KerberosTime getEndtime() {
        return getFieldAs(Field.ENDTIME, KerberosTime.class);
    }
}
