package dev.kerbex.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Token type identifiers of SPEC §2 (RFC 8693 §3 plus Kerbex's own Kerberos namespace). */
public enum TokenType {
    KERBEROS_AP_REQ("urn:kerbex:token-type:kerberos-ap-req", true, false,
            "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ"),
    JWT("urn:ietf:params:oauth:token-type:jwt", true, true),
    ACCESS_TOKEN("urn:ietf:params:oauth:token-type:access_token", true, true),
    KERBEROS_KRB_CRED("urn:kerbex:token-type:kerberos-krb-cred", false, true),
    KERBEROS_CCACHE("urn:kerbex:token-type:kerberos-ccache", false, true);

    private static final Map<String, TokenType> BY_URI = Stream.of(values())
            .flatMap(t -> Stream.concat(Stream.of(t.uri), Arrays.stream(t.aliases)).map(u -> Map.entry(u, t)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String uri;
    private final boolean subjectOrActor;
    private final boolean requestable;
    private final String[] aliases;

    TokenType(String uri, boolean subjectOrActor, boolean requestable, String... aliases) {
        this.uri = uri;
        this.subjectOrActor = subjectOrActor;
        this.requestable = requestable;
        this.aliases = aliases;
    }

    /** The canonical URI (aliases are normalised to it). */
    public String uri() {
        return uri;
    }

    public boolean acceptedAsSubjectOrActor() {
        return subjectOrActor;
    }

    public boolean requestable() {
        return requestable;
    }

    public boolean isKerberosTicket() {
        return this == KERBEROS_KRB_CRED || this == KERBEROS_CCACHE;
    }

    /** Looks a URI up, accepting the OASIS alias of the AP-REQ type. */
    public static Optional<TokenType> fromUri(String uri) {
        return Optional.ofNullable(uri == null ? null : BY_URI.get(uri));
    }

}
