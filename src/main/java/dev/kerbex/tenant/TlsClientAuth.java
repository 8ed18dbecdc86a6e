package dev.kerbex.tenant;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code tls_client_auth} client's certificate must carry (RFC 8705 §2.1.2): exactly one of the subject DN
 * (RFC 4514 string) or a SAN entry of type DNS, URI, IP address or e-mail. Kept under the RFC's metadata names.
 */
public record TlsClientAuth(String subjectDn, String sanDns, String sanUri, String sanIp, String sanEmail) {
    public static final String TLS_CLIENT_AUTH = "tls_client_auth";
    public static final String SELF_SIGNED = "self_signed_tls_client_auth";
    public static final String SUBJECT_DN = "tls_client_auth_subject_dn";
    public static final String SAN_DNS = "tls_client_auth_san_dns";
    public static final String SAN_URI = "tls_client_auth_san_uri";
    public static final String SAN_IP = "tls_client_auth_san_ip";
    public static final String SAN_EMAIL = "tls_client_auth_san_email";

    /** How many of the five are set (RFC 8705 §2.1.2: exactly one). */
    public int count() {
        int n = 0;
        for (String v : new String[] {subjectDn, sanDns, sanUri, sanIp, sanEmail}) {
            n += v == null ? 0 : 1;
        }
        return n;
    }

    /** As stored and written: the RFC names of the members that are set; null when none is. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, SUBJECT_DN, subjectDn);
        put(m, SAN_DNS, sanDns);
        put(m, SAN_URI, sanUri);
        put(m, SAN_IP, sanIp);
        put(m, SAN_EMAIL, sanEmail);
        return m.isEmpty() ? null : m;
    }

    /** Null for null or an empty map. */
    public static TlsClientAuth fromMap(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return null;
        }
        return new TlsClientAuth(m.get(SUBJECT_DN), m.get(SAN_DNS), m.get(SAN_URI), m.get(SAN_IP), m.get(SAN_EMAIL));
    }

    private static void put(Map<String, String> m, String name, String value) {
        if (value != null) {
            m.put(name, value);
        }
    }
}
