package dev.kerbex.kerberos;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kerby.asn1.Asn1FieldInfo;
import org.apache.kerby.asn1.ExplicitField;
import org.apache.kerby.kerberos.kerb.type.KerberosString;
import org.apache.kerby.kerberos.kerb.type.KrbSequenceType;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/**
 * The S4U2Self padata of MS-SFU §2.2.1, which Kerby 2.1.1 does not define:
 * <pre>PA-FOR-USER ::= SEQUENCE { userName [0] PrincipalName, userRealm [1] Realm, cksum [2] Checksum,
 *                             auth-package [3] KerberosString }</pre>
 * The checksum is always {@code KERB_CHECKSUM_HMAC_MD5} (RFC 4757 §4, key usage 17) keyed with the TGT's
 * session key, whatever its enctype: MS-SFU fixes it, and MIT and Active Directory KDCs both check it so.
 *
 * <p>Public with a public constructor only because Kerby's decoder instantiates field types reflectively.
 */
public final class PaForUser extends KrbSequenceType {
    private static final String AUTH_PACKAGE = "Kerberos";
    private static final int KEY_USAGE = 17;

    enum Field implements ContextTag {
        USER_NAME, USER_REALM, CKSUM, AUTH_PACKAGE
    }

    private static final Asn1FieldInfo[] FIELDS = {
        new ExplicitField(Field.USER_NAME, PrincipalName.class),
        new ExplicitField(Field.USER_REALM, KerberosString.class),
        new ExplicitField(Field.CKSUM, CheckSum.class),
        new ExplicitField(Field.AUTH_PACKAGE, KerberosString.class),
    };

    public PaForUser() {
        super(FIELDS);
    }

    /** The padata for {@code user} ({@code name@REALM}), its checksum keyed with {@code sessionKey}. */
    static PaForUser of(String user, byte[] sessionKey) {
        PrincipalName name = new PrincipalName(PrincipalName.extractName(user), NameType.NT_PRINCIPAL);
        String realm = PrincipalName.extractRealm(user);
        PaForUser pa = new PaForUser();
        pa.setFieldAs(Field.USER_NAME, name);
        pa.setFieldAs(Field.USER_REALM, new KerberosString(realm));
        pa.setFieldAs(Field.CKSUM, new CheckSum(CheckSumType.HMAC_MD5_ARCFOUR, checksum(name, realm, sessionKey)));
        pa.setFieldAs(Field.AUTH_PACKAGE, new KerberosString(AUTH_PACKAGE));
        return pa;
    }

    /** Over name-type (32-bit little-endian), each name component, the realm and the auth package. */
    static byte[] checksum(PrincipalName name, String realm, byte[] key) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(name.getNameType().getValue()).array());
        name.getNameStrings().forEach(s -> data.writeBytes(s.getBytes(StandardCharsets.UTF_8)));
        data.writeBytes(realm.getBytes(StandardCharsets.UTF_8));
        data.writeBytes(AUTH_PACKAGE.getBytes(StandardCharsets.UTF_8));
        return hmacMd5(key, KEY_USAGE, data.toByteArray());
    }

    /** RFC 4757 §4: Ksign = HMAC(K, "signaturekey\0"); HMAC(Ksign, MD5(usage LE ‖ data)). */
    static byte[] hmacMd5(byte[] key, int usage, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            byte[] ksign = mac.doFinal("signaturekey\0".getBytes(StandardCharsets.US_ASCII));
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(usage).array());
            byte[] tmp = md5.digest(data);
            mac.init(new SecretKeySpec(ksign, "HmacMD5"));
            return mac.doFinal(tmp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-MD5 is not available in this JDK", e);
        }
    }
}
