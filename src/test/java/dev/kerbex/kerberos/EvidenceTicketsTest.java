package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a user's S4U2Self evidence ticket may vouch for another of their tickets; a fake clock, no KDC, no sleeping. */
class EvidenceTicketsTest {
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final String ALICE = "alice@S4U.TEST";
    static final Instant TGT_END = NOW.plus(Duration.ofHours(10));
    static final Instant TILL = NOW.plus(Duration.ofMinutes(10));

    MutableClock clock;
    EvidenceTickets tickets;
    EvidenceTickets.Evidence evidence;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        tickets = new EvidenceTickets(clock);
        evidence = new EvidenceTickets.Evidence(new Ticket(), TGT_END, NOW);
    }

    @Test
    void reusableWhenSameUserWithinItsBoundsThenTheSameTicket() {
        tickets.remember(ALICE, evidence);
        clock.advance(Duration.ofMinutes(4));

        assertThat(tickets.reusable(ALICE, clock.instant().plus(Duration.ofMinutes(10)), TGT_END)).isSameAs(evidence);
    }

    @Test
    void reusableWhenAnotherUserThenNone() {
        tickets.remember(ALICE, evidence);

        assertThat(tickets.reusable("bob@S4U.TEST", TILL, TGT_END)).isNull();
    }

    @Test
    void reusableWhenObtainedLongerAgoThanTheReuseBoundThenNoneAndForgotten() {
        tickets.remember(ALICE, evidence);
        clock.advance(EvidenceTickets.REUSE_AT_MOST);

        assertThat(tickets.reusable(ALICE, clock.instant().plus(Duration.ofMinutes(10)), TGT_END)).isNull();
        assertThat(tickets.size()).isZero();
    }

    @Test
    void reusableWhenWithinTheMarginOfItsEndThenNone() {
        // Ends in 7 minutes: usable for 2 more (the margin is 5), whatever the ticket asked for.
        EvidenceTickets.Evidence ending = new EvidenceTickets.Evidence(new Ticket(), NOW.plus(Duration.ofMinutes(7)), NOW);
        tickets.remember(ALICE, ending);
        clock.advance(Duration.ofMinutes(1));
        assertThat(tickets.reusable(ALICE, NOW.plus(Duration.ofMinutes(2)), TGT_END)).isSameAs(ending);

        clock.advance(Duration.ofMinutes(1));

        assertThat(tickets.reusable(ALICE, NOW.plus(Duration.ofMinutes(3)), TGT_END)).isNull();
        assertThat(tickets.size()).isZero();
    }

    @Test
    void reusableWhenItEndsBeforeTheTicketAskedForThenNone() {
        // The S4U2Proxy ticket cannot outlast its evidence: a shorter evidence would cut the user's ticket short.
        EvidenceTickets.Evidence shortLived = new EvidenceTickets.Evidence(new Ticket(), NOW.plus(Duration.ofMinutes(30)), NOW);
        tickets.remember(ALICE, shortLived);

        assertThat(tickets.reusable(ALICE, NOW.plus(Duration.ofMinutes(31)), TGT_END)).isNull();
        assertThat(tickets.reusable(ALICE, NOW.plus(Duration.ofMinutes(30)), TGT_END)).isSameAs(shortLived);
    }

    @Test
    void reusableWhenTheTgtEndsFirstThenTheTgtEndIsWhatTheEvidenceMustReach() {
        EvidenceTickets.Evidence untilTgtEnd = new EvidenceTickets.Evidence(new Ticket(), NOW.plus(Duration.ofMinutes(30)), NOW);
        tickets.remember(ALICE, untilTgtEnd);

        assertThat(tickets.reusable(ALICE, NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofMinutes(30))))
                .isSameAs(untilTgtEnd);
    }

    @Test
    void dropWhenTheKdcRefusedItThenGoneButANewerOneKept() {
        tickets.remember(ALICE, evidence);
        tickets.drop(ALICE, evidence);
        assertThat(tickets.reusable(ALICE, TILL, TGT_END)).isNull();

        EvidenceTickets.Evidence newer = new EvidenceTickets.Evidence(new Ticket(), TGT_END, NOW);
        tickets.remember(ALICE, newer);
        tickets.drop(ALICE, evidence);

        assertThat(tickets.reusable(ALICE, TILL, TGT_END)).isSameAs(newer);
    }

    @Test
    void rememberWhenMoreUsersThanTheBoundThenSomeForgotten() {
        EvidenceTickets small = new EvidenceTickets(clock, 3);
        for (int i = 0; i < 20; i++) {
            small.remember("user" + i + "@S4U.TEST", evidence);
        }

        assertThat(small.size()).isLessThanOrEqualTo(3);
    }
}
