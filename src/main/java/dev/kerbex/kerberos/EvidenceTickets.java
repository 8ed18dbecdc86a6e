package dev.kerbex.kerberos;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kerbex.config.SystemClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;

/**
 * S4U2Self evidence tickets (a ticket to Kerbex itself in a user's name, MS-SFU §3.2.5.1.2) of one S4U identity, by
 * user principal, so that a user's next tickets cost one KDC exchange (S4U2Proxy) instead of two. An evidence ticket
 * never leaves Kerbex; it only vouches for the user towards the KDC.
 *
 * <p>One is reused only while all of these hold, else the caller asks the KDC for a new one:
 * <ul>
 * <li>it ends more than {@link #MARGIN} from now (the KDC must still accept it, whatever the clock skew);</li>
 * <li>it was obtained less than {@link #REUSE_AT_MOST} ago, so that a user the KDC disables or deletes is refused
 * protocol transition again within that time;</li>
 * <li>it ends no sooner than the ticket asked for ({@code till}, or Kerbex's TGT end when that comes first): the
 * S4U2Proxy ticket cannot outlast its evidence, so a shorter one would cut the user's ticket short.</li>
 * </ul>
 * The S4U2Proxy request still names the request's own {@code till}, bounded by the subject token (SPEC §6), and its
 * answer is still checked against it: reusing the evidence changes nothing of the issued ticket's lifetime.
 */
final class EvidenceTickets {
    static final Duration MARGIN = Duration.ofMinutes(5);
    static final Duration REUSE_AT_MOST = Duration.ofMinutes(5);
    static final int MAX_USERS = 10_000;

    /** An evidence ticket, when it ends, and when Kerbex obtained it. */
    record Evidence(Ticket ticket, Instant endTime, Instant obtainedAt) {
    }

    private final Clock clock;
    private final Cache<String, Evidence> byUser;

    EvidenceTickets(Clock clock) {
        this(clock, MAX_USERS);
    }

    EvidenceTickets(Clock clock, int maxUsers) {
        this.clock = clock;
        this.byUser = Caffeine.newBuilder().maximumSize(maxUsers).expireAfterWrite(REUSE_AT_MOST)
                .ticker(SystemClock.ticker(clock)).build();
    }

    /** The user's evidence if it may vouch for a ticket ending at {@code till} under a TGT ending at {@code tgtEnd}. */
    Evidence reusable(String user, Instant till, Instant tgtEnd) {
        Evidence e = byUser.getIfPresent(user);
        if (e == null) {
            return null;
        }
        Instant now = clock.instant();
        Instant needed = till.isBefore(tgtEnd) ? till : tgtEnd;
        boolean stale = !now.isBefore(e.endTime().minus(MARGIN)) || !now.isBefore(e.obtainedAt().plus(REUSE_AT_MOST));
        if (stale) {
            byUser.asMap().remove(user, e);
            return null;
        }
        return e.endTime().isBefore(needed) ? null : e;
    }

    void remember(String user, Evidence evidence) {
        byUser.put(user, evidence);
    }

    /** Forgets {@code evidence} of the user (the KDC would not take it), unless a newer one replaced it already. */
    void drop(String user, Evidence evidence) {
        byUser.asMap().remove(user, evidence);
    }

    /** Users with evidence held (for tests). */
    long size() {
        byUser.cleanUp();
        return byUser.estimatedSize();
    }
}
