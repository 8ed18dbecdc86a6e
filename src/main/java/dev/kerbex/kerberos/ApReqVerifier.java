package dev.kerbex.kerberos;

import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kerby.asn1.type.Asn1Encodeable;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.KrbMessageType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;

/**
 * Verifies a Kerberos subject token (SPEC §5): a raw KRB_AP_REQ, a GSS-API krb5 initial context token
 * or a SPNEGO NegTokenInit carrying one. The checks run in a fixed order so the same token always
 * fails for the same reason, and the replay cache is consulted last so that a rejected token never
 * takes a slot in it.
 *
 * <p>Kerby's ASN.1 decoder is not hardened against hostile input, so every byte it sees has first
 * passed {@link Der}'s bounds and depth checks, and every decode is wrapped so that no parser
 * exception or error escapes as anything but {@link Reason#MALFORMED}.
 */
public final class ApReqVerifier {

    /** SPEC §5: bound the input before any decoder sees it. */
    public static final int MAX_TOKEN_BYTES = 16 * 1024;

    private static final int KRB5_PVNO = 5;

    private final KeytabKeys keys;
    private final ReplayCache replayCache;
    private final Clock clock;

    public ApReqVerifier(KeytabKeys keys, ReplayCache replayCache, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.replayCache = Objects.requireNonNull(replayCache, "replayCache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies {@code token} (already base64-decoded) against a tenant's settings.
     *
     * @throws KerberosVerificationException for every way the token can be wrong; exceptions from the
     *                                       {@link ReplayCache} (store unavailable) propagate unchanged
     */
    public KerberosIdentity verify(byte[] token, VerificationSettings settings) throws KerberosVerificationException {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(settings, "settings");

        // 1. Bounds, before Kerby sees anything.
        if (token.length > MAX_TOKEN_BYTES) {
            throw new KerberosVerificationException(Reason.TOO_LARGE,
                    "Kerberos token exceeds " + MAX_TOKEN_BYTES + " bytes", "token of " + token.length + " bytes");
        }
        if (token.length == 0) {
            throw Der.malformed("empty token");
        }
        Der.check(token);

        // 2. Framing.
        byte[] rawApReq = TokenFraming.apReq(token);

        // 3. The AP-REQ and the ticket's server.
        ApReq apReq = decode(new ApReq(), rawApReq, "AP-REQ");
        if (apReq.getPvno() != KRB5_PVNO || apReq.getMsgType() != KrbMessageType.AP_REQ) {
            throw Der.malformed("AP-REQ with pvno " + apReq.getPvno() + " and msg-type " + apReq.getMsgType());
        }
        Ticket ticket = apReq.getTicket();
        if (ticket == null || ticket.getSname() == null || ticket.getRealm() == null
                || ticket.getEncryptedEncPart() == null || apReq.getEncryptedAuthenticator() == null) {
            throw Der.malformed("AP-REQ lacks its ticket, server name or authenticator");
        }
        if (ticket.getTktvno() != KRB5_PVNO) {
            throw Der.malformed("ticket with tkt-vno " + ticket.getTktvno());
        }
        String service = principal(ticket.getSname(), ticket.getRealm());
        if (!settings.services().contains(service)) {
            String description = "ticket is for " + service + ", not a service of this tenant";
            throw new KerberosVerificationException(Reason.WRONG_SERVICE, description, description);
        }

        // 4. The ticket's enctype against the allowlist.
        Set<Integer> allowed = Enctypes.numbers(settings.enctypes());
        EncryptedData encTicket = ticket.getEncryptedEncPart();
        int ticketEtype = etype(encTicket);
        String ticketEtypeName = Enctypes.name(ticketEtype);
        requireAllowed(allowed, ticketEtype, "ticket");

        // 5. The service key.
        int kvno = encTicket.getKvno();
        KeytabKeys.Key serviceKey = keys.find(service, ticketEtype, kvno).orElseThrow(() -> {
            String description = "no key for " + service + (kvno >= 0 ? " kvno " + kvno : "")
                    + " enctype " + ticketEtypeName;
            return new KerberosVerificationException(Reason.NO_KEY, description, description);
        });

        // 6. Decrypt the ticket (RFC 4120 §7.5.1 key usage 2).
        byte[] ticketPlain = decrypt(encTicket, new EncryptionKey(ticketEtype, serviceKey.keyData(), serviceKey.kvno()),
                ticketEtype, KeyUsage.KDC_REP_TICKET, "ticket does not decrypt with the service key");
        EncTicketPart part = decode(new EncTicketPart(), ticketPlain, "EncTicketPart");

        // 7. The ticket's contents.
        EncryptionKey sessionKey = part.getKey();
        if (sessionKey == null || sessionKey.getKeyData() == null || part.getCname() == null
                || part.getCrealm() == null || part.getAuthTime() == null || part.getEndTime() == null) {
            throw new KerberosVerificationException(Reason.INVALID_TICKET, "Kerberos ticket lacks required fields",
                    "EncTicketPart lacks key, cname, crealm, authtime or endtime");
        }
        if (part.getFlags() != null && part.getFlags().isInvalid()) {
            // RFC 4120 §2.2: an INVALID (postdated, not yet validated) ticket must be rejected.
            throw new KerberosVerificationException(Reason.INVALID_TICKET, "Kerberos ticket is marked invalid");
        }
        Instant now = clock.instant();
        Duration skew = settings.skew();
        Instant authTime = instant(part.getAuthTime());
        Instant start = part.getStartTime() != null ? instant(part.getStartTime()) : authTime;
        Instant end = instant(part.getEndTime());
        if (start.isAfter(now.plus(skew))) {
            throw new KerberosVerificationException(Reason.NOT_YET_VALID, "Kerberos ticket not yet valid",
                    "ticket starts at " + start + ", now is " + now);
        }
        if (end.isBefore(now.minus(skew))) {
            throw new KerberosVerificationException(Reason.EXPIRED, "Kerberos ticket expired",
                    "ticket ended at " + end + ", now is " + now);
        }
        String crealm = part.getCrealm();
        if (!settings.realms().contains(crealm)) {
            String description = "client realm " + crealm + " is not accepted by this tenant";
            throw new KerberosVerificationException(Reason.FOREIGN_REALM, description, description);
        }
        String client = principal(part.getCname(), crealm);

        // 7a. The Active Directory PAC, when there is one (SPEC §5a), with the key that decrypted the ticket.
        byte[] pacBytes = Pacs.find(part);
        Pac pac = pacBytes == null ? null : PacDecoder.verify(pacBytes, ticketEtype, serviceKey.keyData(),
                String.join("/", part.getCname().getNameStrings()), client, authTime);

        // 8. The authenticator (key usage 11), sealed with the ticket's session key.
        int sessionEtype = KerberosCrypto.keyType(sessionKey);
        requireAllowed(allowed, sessionEtype, "session key");
        EncryptedData encAuthenticator = apReq.getEncryptedAuthenticator();
        if (etype(encAuthenticator) != sessionEtype) {
            throw new KerberosVerificationException(Reason.DECRYPT_FAILED,
                    "authenticator does not decrypt with the session key",
                    "authenticator enctype " + Enctypes.name(etype(encAuthenticator)) + " differs from session key "
                            + Enctypes.name(sessionEtype));
        }
        byte[] authenticatorPlain = decrypt(encAuthenticator, sessionKey, sessionEtype, KeyUsage.AP_REQ_AUTH,
                "authenticator does not decrypt with the session key");
        Authenticator authenticator = decode(new Authenticator(), authenticatorPlain, "Authenticator");
        if (authenticator.getCname() == null || authenticator.getCrealm() == null || authenticator.getCtime() == null) {
            throw Der.malformed("authenticator lacks cname, crealm or ctime");
        }
        String authenticatorClient = principal(authenticator.getCname(), authenticator.getCrealm());
        if (!authenticatorClient.equals(client)) {
            throw new KerberosVerificationException(Reason.CLIENT_MISMATCH,
                    "authenticator names another client than the ticket",
                    "ticket client " + client + ", authenticator client " + authenticatorClient);
        }
        int cusec = authenticator.getCusec();
        Instant ctime = instant(authenticator.getCtime()).plusNanos(cusec > 0 && cusec < 1_000_000 ? cusec * 1000L : 0);
        Duration offset = Duration.between(ctime, now).abs();
        if (offset.compareTo(skew) > 0) {
            throw new KerberosVerificationException(Reason.CLOCK_SKEW,
                    "clock skew " + offset.toSeconds() + "s exceeds " + skew.toSeconds() + "s",
                    "authenticator ctime " + ctime + ", now is " + now);
        }

        // 9. Replay, last: only a token that passed every other check takes a cache slot.
        if (!replayCache.firstSeen(sha256(encAuthenticator.getCipher()), ctime.plus(skew))) {
            throw new KerberosVerificationException(Reason.REPLAYED, "authenticator replayed",
                    "authenticator of " + client + " for " + service + " replayed");
        }

        // 10. What the token proves.
        return new KerberosIdentity(client, crealm, service, authTime, end, ticketEtypeName, pac);
    }

    private static void requireAllowed(Set<Integer> allowed, int etype, String what)
            throws KerberosVerificationException {
        if (!allowed.contains(etype)) {
            String description = "enctype " + Enctypes.name(etype) + " is not allowed";
            throw new KerberosVerificationException(Reason.WEAK_ENCTYPE, description, what + ": " + description);
        }
    }

    /**
     * Runs a Kerby decode. Kerby throws IndexOutOfBoundsException, ClassCastException or
     * StackOverflowError on input it does not expect; all of them mean the token is malformed.
     */
    static <T extends Asn1Encodeable> T decode(T target, byte[] der, String what)
            throws KerberosVerificationException {
        int length = Der.checkPrefix(der);
        byte[] exact = length == der.length ? der : Arrays.copyOf(der, length);
        try {
            target.decode(exact);
            return target;
        } catch (java.io.IOException | RuntimeException | StackOverflowError e) {
            throw Der.malformed(what + " does not decode: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] decrypt(EncryptedData data, EncryptionKey key, int etype, KeyUsage usage, String description)
            throws KerberosVerificationException {
        if (data.getCipher() == null) {
            throw new KerberosVerificationException(Reason.DECRYPT_FAILED, description, "no cipher text");
        }
        try {
            return KerberosCrypto.decrypt(data, key, etype, usage);
        } catch (KrbException | RuntimeException e) {
            throw new KerberosVerificationException(Reason.DECRYPT_FAILED, description,
                    description + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The enctype number of {@code data}, including numbers Kerby does not know (it maps them to NONE). */
    private static int etype(EncryptedData data) {
        return KerberosCrypto.etype(data);
    }

    private static Instant instant(KerberosTime time) {
        return Instant.ofEpochMilli(time.getTime());
    }

    /**
     * {@code name[/instance]@REALM}, with {@code \}, {@code /} and {@code @} inside a component escaped
     * as MIT krb5_unparse_name does, so that no crafted component can impersonate another principal.
     */
    static String principal(PrincipalName name, String realm) throws KerberosVerificationException {
        List<String> components = name.getNameStrings();
        // Kerby decodes a name-string element that is no KerberosString as null (found by KerberosFuzzTest).
        if (realm == null || components.contains(null)) {
            throw Der.malformed("principal name or realm is not a valid KerberosString");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                out.append('/');
            }
            escape(out, components.get(i));
        }
        out.append('@');
        escape(out, realm);
        return out.toString();
    }

    private static void escape(StringBuilder out, String component) {
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '\\', '/', '@' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
