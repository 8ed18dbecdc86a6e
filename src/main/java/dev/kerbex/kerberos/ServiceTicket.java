package dev.kerbex.kerberos;

import java.time.Instant;

/**
 * A service ticket obtained for a user, with what a client needs to use it: the DER Ticket, the session
 * key (type and bytes), the ticket flags (RFC 4120 §5.3 bit order) and its times.
 */
public record ServiceTicket(String client, String server, byte[] ticket, int sessionKeyType, byte[] sessionKey,
        boolean[] flags, Instant authTime, Instant startTime, Instant endTime, Instant renewTill) {
}
