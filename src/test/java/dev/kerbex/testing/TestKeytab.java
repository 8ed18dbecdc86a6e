package dev.kerbex.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/**
 * Writes MIT keytabs whose keys are derived from passwords, for any kvno and enctype (including the
 * weak ones a real KDC here would not issue), written with Kerby's keytab writer.
 *
 * <pre>{@code
 * new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96", "rc4-hmac")
 *                 .add(TestKdc.SERVICE, "rotated", 2, "aes256-cts-hmac-sha1-96")
 *                 .write(dir.resolve("service.keytab"));
 * }</pre>
 */
public final class TestKeytab {

    private final List<KeytabEntry> entries = new ArrayList<>();

    /** Adds the keys of {@code principal} derived from {@code password}, one per enctype, with {@code kvno}. */
    public TestKeytab add(String principal, String password, int kvno, String... enctypes) {
        for (String enctype : enctypes) {
            EncryptionKey key = key(principal, password, enctype);
            key.setKvno(kvno);
            entries.add(new KeytabEntry(new PrincipalName(principal), new KerberosTime(), kvno, key));
        }
        return this;
    }

    /** Writes the entries to {@code file}, replacing it. */
    public Path write(Path file) {
        try {
            Keytab keytab = new Keytab();
            keytab.addKeytabEntries(entries);
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "keytab", ".tmp");
            keytab.store(temp.toFile());
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write keytab " + file, e);
        }
    }

    /** The key of {@code principal} derived from {@code password} (RFC 3961 string-to-key, default salt). */
    public static EncryptionKey key(String principal, String password, String enctype) {
        try {
            return EncryptionHandler.string2Key(principal, password, enctype(enctype));
        } catch (KrbException e) {
            throw new IllegalStateException("cannot derive " + enctype + " key", e);
        }
    }

    /** Kerby's enctype for a krb5.conf name. */
    public static EncryptionType enctype(String name) {
        return switch (name) {
            case "aes256-cts-hmac-sha1-96" -> EncryptionType.AES256_CTS_HMAC_SHA1_96;
            case "aes128-cts-hmac-sha1-96" -> EncryptionType.AES128_CTS_HMAC_SHA1_96;
            case "rc4-hmac", "arcfour-hmac" -> EncryptionType.ARCFOUR_HMAC;
            case "des3-cbc-sha1", "des3-hmac-sha1" -> EncryptionType.DES3_CBC_SHA1_KD;
            case "des-cbc-md5" -> EncryptionType.DES_CBC_MD5;
            case "des-cbc-crc" -> EncryptionType.DES_CBC_CRC;
            case "camellia256-cts-cmac" -> EncryptionType.CAMELLIA256_CTS_CMAC;
            case "camellia128-cts-cmac" -> EncryptionType.CAMELLIA128_CTS_CMAC;
            default -> throw new IllegalArgumentException("unknown enctype " + name);
        };
    }
}
