package dev.kerbex.kerberos;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified AP-REQ proves.
 *
 * @param principal        the client, {@code name[/instance]@REALM}
 * @param realm            the client realm (crealm of the ticket)
 * @param servicePrincipal the server the ticket was issued for, {@code service/host@REALM}
 * @param authTime         when the client authenticated to the KDC (RFC 4120 §5.3 authtime)
 * @param ticketEnd        the ticket's endtime
 * @param enctype          the ticket's enctype, as named in krb5.conf
 * @param pac              the verified Active Directory PAC (SPEC §5a); {@code null} when the ticket has none (MIT)
 */
public record KerberosIdentity(String principal, String realm, String servicePrincipal,
        Instant authTime, Instant ticketEnd, String enctype, Pac pac) {

    /** The identity of a ticket without a PAC. */
    public KerberosIdentity(String principal, String realm, String servicePrincipal, Instant authTime,
            Instant ticketEnd, String enctype) {
        this(principal, realm, servicePrincipal, authTime, ticketEnd, enctype, null);
    }

    public KerberosIdentity {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(servicePrincipal, "servicePrincipal");
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(ticketEnd, "ticketEnd");
        Objects.requireNonNull(enctype, "enctype");
    }
}
