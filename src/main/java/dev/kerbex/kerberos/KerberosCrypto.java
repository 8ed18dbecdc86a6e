package dev.kerbex.kerberos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.apache.kerby.asn1.type.Asn1Encodeable;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;

/**
 * Kerbex's one seam to Kerberos cryptography: Kerby's {@link EncryptionHandler} for the enctypes it implements
 * (aes-sha1 and the legacy ones, unchanged and first in every dispatch), {@link Rfc8009} for 19 and 20, which
 * Kerby 2.1.1 neither implements nor even names: its {@link EncryptionType} and {@link CheckSumType} enums map
 * both numbers to {@code NONE}. So the enctype number is always read from, and written into, the DER itself.
 * Kerby's handler registry is a switch over that enum and cannot be extended from outside.
 */
public final class KerberosCrypto {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KerberosCrypto() {
    }

    /** Whether {@code etype} is one of RFC 8009's, which Kerbex implements itself. */
    public static boolean isRfc8009(int etype) {
        return Rfc8009.of(etype) != null;
    }

    /** The enctype number of {@code data}, including numbers Kerby does not know (it maps them to NONE); 0 if absent. */
    public static int etype(EncryptedData data) {
        EncryptionType type = data.getEType();
        return type != null && type != EncryptionType.NONE ? type.getValue() : firstInteger(data);
    }

    /** The key type of {@code key}, read as {@link #etype(EncryptedData)} is. */
    public static int keyType(EncryptionKey key) {
        EncryptionType type = key.getKeyType();
        return type != null && type != EncryptionType.NONE ? type.getValue() : firstInteger(key);
    }

    /** A key of type {@code etype}, which keeps its number even where Kerby's enum has no name for it. */
    public static EncryptionKey key(int etype, byte[] keyData) {
        EncryptionType known = EncryptionType.fromValue(etype);
        if (known != EncryptionType.NONE) {
            return new EncryptionKey(known, keyData);
        }
        // EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }
        return decoded(new EncryptionKey(), sequence(etype, 0xa1, keyData));
    }

    /** A fresh random key of {@code etype} (a session or sub-key, in tests a forged ticket's). */
    public static EncryptionKey randomKey(int etype) throws KrbException {
        Rfc8009 rfc8009 = Rfc8009.of(etype);
        if (rfc8009 == null) {
            return EncryptionHandler.random2Key(EncryptionType.fromValue(etype));
        }
        byte[] bytes = new byte[rfc8009.keyBytes()];
        RANDOM.nextBytes(bytes);
        return key(etype, bytes);
    }

    /**
     * The long-term key of {@code principal} ({@code name[/instance]@REALM}) from its password, with MIT's default
     * salt (the realm, then each name component).
     */
    public static EncryptionKey stringToKey(String principal, String password, int etype) throws KrbException {
        Rfc8009 rfc8009 = Rfc8009.of(etype);
        if (rfc8009 == null) {
            return EncryptionHandler.string2Key(principal, password, EncryptionType.fromValue(etype));
        }
        int at = principal.lastIndexOf('@');
        String salt = principal.substring(at + 1) + principal.substring(0, at).replace("/", "");
        try {
            return key(etype, rfc8009.stringToKey(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new KrbException(KrbErrorCode.KRB_ERR_GENERIC, "string-to-key failed: " + e.getMessage());
        }
    }

    /**
     * Decrypts {@code data} with {@code key} of enctype {@code etype} (already read by the caller). Any failure,
     * whatever the input, is a {@link KrbException}.
     */
    public static byte[] decrypt(EncryptedData data, EncryptionKey key, int etype, KeyUsage usage) throws KrbException {
        Rfc8009 rfc8009 = Rfc8009.of(etype);
        if (rfc8009 == null) {
            return EncryptionHandler.decrypt(data, key, usage);
        }
        try {
            return rfc8009.decrypt(key.getKeyData(), usage.getValue(), data.getCipher());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KrbException(KrbErrorCode.KRB_AP_ERR_BAD_INTEGRITY, "cannot decrypt");
        }
    }

    /** Encrypts {@code plain} with {@code key}, the enctype being the key's. */
    public static EncryptedData encrypt(byte[] plain, EncryptionKey key, KeyUsage usage) throws KrbException {
        int etype = keyType(key);
        Rfc8009 rfc8009 = Rfc8009.of(etype);
        if (rfc8009 == null) {
            return EncryptionHandler.encrypt(plain, key, usage);
        }
        try {
            // EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING }
            return decoded(new EncryptedData(), sequence(etype, 0xa2,
                    rfc8009.encrypt(key.getKeyData(), usage.getValue(), plain)));
        } catch (GeneralSecurityException e) {
            throw new KrbException(KrbErrorCode.KRB_ERR_GENERIC, "cannot encrypt: " + e.getMessage());
        }
    }

    /**
     * The keyed checksum over {@code data} that goes with {@code key}'s enctype (RFC 3962 §7 and RFC 8009 §8 give
     * each enctype its own), for an authenticator's checksum.
     */
    public static CheckSum checksum(EncryptionKey key, byte[] data, KeyUsage usage) throws KrbException {
        int etype = keyType(key);
        Rfc8009 rfc8009 = Rfc8009.of(etype);
        if (rfc8009 == null) {
            CheckSumType type = switch (etype) {
                case 18 -> CheckSumType.HMAC_SHA1_96_AES256;
                case 17 -> CheckSumType.HMAC_SHA1_96_AES128;
                default -> throw new KrbException(KrbErrorCode.KDC_ERR_ETYPE_NOSUPP, "no keyed checksum for enctype "
                        + Enctypes.name(etype) + "; Kerbex's principal needs AES keys");
            };
            return CheckSumHandler.checksumWithKey(type, data, key.getKeyData(), usage);
        }
        try {
            // Checksum ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING }; RFC 8009 §8 numbers equal enctypes.
            return decoded(new CheckSum(), sequence(etype, 0xa1, rfc8009.checksum(key.getKeyData(), usage.getValue(), data)));
        } catch (GeneralSecurityException e) {
            throw new KrbException(KrbErrorCode.KRB_ERR_GENERIC, "cannot checksum: " + e.getMessage());
        }
    }

    /** Verifies a keyed checksum of type {@code checksumType}; false for every failure, never an exception. */
    static boolean verifyChecksum(int checksumType, byte[] key, byte[] data, byte[] checksum, int usage) {
        try {
            Rfc8009 rfc8009 = Rfc8009.of(checksumType);
            if (rfc8009 != null) {
                return rfc8009.verifyChecksum(key, usage, data, checksum);
            }
            CheckSumType type = CheckSumType.fromValue(checksumType);
            return type != CheckSumType.NONE
                    && CheckSumHandler.verifyWithKey(new CheckSum(type, checksum), data, key, KeyUsage.fromValue(usage));
        } catch (GeneralSecurityException | KrbException | RuntimeException e) {
            return false;
        }
    }

    /** The value of the {@code [0] INTEGER} that opens a Kerberos SEQUENCE (etype, keytype, cksumtype), or 0. */
    private static int firstInteger(Asn1Encodeable value) {
        try {
            byte[] der = value.encode();
            Der.Tlv seq = Der.header(der, 0, der.length);
            Der.Tlv field = Der.header(der, seq.contentStart(), seq.end());
            if (field.tag() != 0xa0) {
                return 0;
            }
            Der.Tlv integer = Der.header(der, field.contentStart(), field.end());
            if (integer.tag() != 0x02 || integer.contentLength() < 1 || integer.contentLength() > 4) {
                return 0;
            }
            int number = der[integer.contentStart()];
            for (int i = integer.contentStart() + 1; i < integer.end(); i++) {
                number = (number << 8) | (der[i] & 0xff);
            }
            return number;
        } catch (IOException | KerberosVerificationException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code SEQUENCE { [0] INTEGER number, [second] OCTET STRING octets }}. */
    private static byte[] sequence(int number, int secondTag, byte[] octets) {
        byte[] integer = tlv(0x02, java.math.BigInteger.valueOf(number).toByteArray());
        return tlv(0x30, concat(tlv(0xa0, integer), tlv(secondTag, tlv(0x04, octets))));
    }

    private static <T extends Asn1Encodeable> T decoded(T target, byte[] der) {
        try {
            target.decode(der);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("Kerbex's own DER does not decode", e);
        }
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
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
            out.write(0x84);
            out.write(length >>> 24);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
