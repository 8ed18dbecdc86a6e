package dev.kerbex.kerberos;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Enctype numbers (RFC 3961 §8, RFC 8009, RFC 6803, RFC 4757) and their krb5.conf names. Kerby's own
 * names differ for some (it calls 23 {@code arcfour-hmac}), so Kerbex keeps its own table: the
 * canonical name is the one MIT krb5 prints, and the usual aliases are understood on input.
 */
final class Enctypes {

    private static final Map<Integer, String> CANONICAL = Map.ofEntries(
            Map.entry(1, "des-cbc-crc"),
            Map.entry(2, "des-cbc-md4"),
            Map.entry(3, "des-cbc-md5"),
            Map.entry(16, "des3-cbc-sha1"),
            Map.entry(17, "aes128-cts-hmac-sha1-96"),
            Map.entry(18, "aes256-cts-hmac-sha1-96"),
            Map.entry(19, "aes128-cts-hmac-sha256-128"),
            Map.entry(20, "aes256-cts-hmac-sha384-192"),
            Map.entry(23, "rc4-hmac"),
            Map.entry(24, "rc4-hmac-exp"),
            Map.entry(25, "camellia128-cts-cmac"),
            Map.entry(26, "camellia256-cts-cmac"));

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("des-cbc-crc", 1),
            Map.entry("des-cbc-md4", 2),
            Map.entry("des-cbc-md5", 3),
            Map.entry("des", 3),
            Map.entry("des3-cbc-sha1", 16),
            Map.entry("des3-hmac-sha1", 16),
            Map.entry("des3-cbc-sha1-kd", 16),
            Map.entry("des3", 16),
            Map.entry("aes128-cts-hmac-sha1-96", 17),
            Map.entry("aes128-cts", 17),
            Map.entry("aes128-sha1", 17),
            Map.entry("aes256-cts-hmac-sha1-96", 18),
            Map.entry("aes256-cts", 18),
            Map.entry("aes256-sha1", 18),
            Map.entry("aes128-cts-hmac-sha256-128", 19),
            Map.entry("aes128-sha2", 19),
            Map.entry("aes256-cts-hmac-sha384-192", 20),
            Map.entry("aes256-sha2", 20),
            Map.entry("rc4-hmac", 23),
            Map.entry("arcfour-hmac", 23),
            Map.entry("arcfour-hmac-md5", 23),
            Map.entry("rc4-hmac-exp", 24),
            Map.entry("arcfour-hmac-exp", 24),
            Map.entry("arcfour-hmac-md5-exp", 24),
            Map.entry("camellia128-cts-cmac", 25),
            Map.entry("camellia128-cts", 25),
            Map.entry("camellia256-cts-cmac", 26),
            Map.entry("camellia256-cts", 26));

    private Enctypes() {
    }

    /** The krb5.conf name of an enctype number, or {@code enctype-N} for one Kerbex does not know. */
    static String name(int number) {
        String name = CANONICAL.get(number);
        return name != null ? name : "enctype-" + number;
    }

    /** The enctype numbers of a set of names; unknown names are ignored (they cannot match a ticket). */
    static Set<Integer> numbers(Set<String> names) {
        Set<Integer> numbers = new HashSet<>();
        for (String name : names) {
            Integer number = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
            if (number != null) {
                numbers.add(number);
            }
        }
        return numbers;
    }
}
