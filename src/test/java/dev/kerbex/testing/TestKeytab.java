package dev.kerbex.testing;

import dev.kerbex.kerberos.KerberosCrypto;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;

/**
 * Writes MIT keytabs whose keys are derived from passwords, for any kvno and enctype (including the
 * weak ones a real KDC here would not issue, and RFC 8009's, which Kerby does not implement).
 *
 * <pre>{@code
 * new TestKeytab().add(TestKdc.SERVICE, TestKdc.SERVICE_PASSWORD, 1, "aes256-cts-hmac-sha1-96", "rc4-hmac")
 *                 .add(TestKdc.SERVICE, "rotated", 2, "aes256-cts-hmac-sha1-96")
 *                 .write(dir.resolve("service.keytab"));
 * }</pre>
 */
public final class TestKeytab {

    private record Entry(String principal, int kvno, int enctype, byte[] key) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds the keys of {@code principal} derived from {@code password}, one per enctype, with {@code kvno}. */
    public TestKeytab add(String principal, String password, int kvno, String... enctypes) {
        for (String enctype : enctypes) {
            entries.add(new Entry(principal, kvno, number(enctype), key(principal, password, enctype).getKeyData()));
        }
        return this;
    }

    /**
     * Writes the entries to {@code file} (MIT keytab format 0x0502, 32-bit kvno included), replacing it. Written here,
     * not by Kerby, whose writer stores RFC 8009 keys as enctype 0.
     */
    public Path write(Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(0x0502);
            int now = (int) (System.currentTimeMillis() / 1000);
            for (Entry e : entries) {
                ByteArrayOutputStream entryBytes = new ByteArrayOutputStream();
                DataOutputStream entry = new DataOutputStream(entryBytes);
                int at = e.principal().lastIndexOf('@');
                String[] components = e.principal().substring(0, at).split("/");
                entry.writeShort(components.length);
                counted(entry, e.principal().substring(at + 1));
                for (String component : components) {
                    counted(entry, component);
                }
                entry.writeInt(1); // KRB5_NT_PRINCIPAL
                entry.writeInt(now);
                entry.writeByte(e.kvno() & 0xff);
                entry.writeShort(e.enctype());
                entry.writeShort(e.key().length);
                entry.write(e.key());
                entry.writeInt(e.kvno());
                out.writeInt(entryBytes.size());
                entryBytes.writeTo(out);
            }
            out.flush();
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "keytab", ".tmp");
            Files.write(temp, bytes.toByteArray());
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write keytab " + file, e);
        }
    }

    private static void counted(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    /**
     * The key of {@code principal} derived from {@code password} (string-to-key, MIT's default salt). Remembered: RFC
     * 8009's string-to-key runs 32768 PBKDF2 iterations, and a test forges many tickets with one key.
     */
    public static EncryptionKey key(String principal, String password, String enctype) {
        byte[] data = DERIVED.computeIfAbsent(List.of(principal, password, enctype), k -> {
            try {
                return KerberosCrypto.stringToKey(principal, password, number(enctype)).getKeyData();
            } catch (KrbException e) {
                throw new IllegalStateException("cannot derive " + enctype + " key", e);
            }
        });
        return KerberosCrypto.key(number(enctype), data.clone());
    }

    private static final Map<List<String>, byte[]> DERIVED = new ConcurrentHashMap<>();

    /** The enctype number of a krb5.conf name (RFC 8009's included, which Kerby's enum lacks). */
    public static int number(String name) {
        return switch (name) {
            case "aes128-cts-hmac-sha256-128" -> 19;
            case "aes256-cts-hmac-sha384-192" -> 20;
            default -> enctype(name).getValue();
        };
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
