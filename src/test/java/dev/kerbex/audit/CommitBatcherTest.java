package dev.kerbex.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.store.ReplayClaim;
import dev.kerbex.store.StoreUnavailableException;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.KerbexTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exchange's one durable commit (issue 9): replay entries and the audit row in one transaction, and concurrent
 * requests' transactions committed together, against the real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class CommitBatcherTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ReplayClaim NEW = new ReplayClaim("none", new byte[0], Instant.EPOCH);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditTrail trail;

    /** Request ids unique per test run, so a rerun against the same database reads its own rows. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Long> transactionOf = new ConcurrentHashMap<>();

    @Test
    void commitWhenTwoCopiesOfAnAuthenticatorInOneBatchThenOnlyOneIsNewAndTheOtherAuditedAsReplay() throws Exception {
        ReplayClaim twice = claim();
        ReplayClaim other = claim();

        List<ReplayClaim> results = inOneBatch(unit("copy-a", twice), unit("copy-b", twice), unit("other", other));

        assertThat(transactionOf.get(id("copy-a"))).isEqualTo(transactionOf.get(id("copy-b")))
                .isEqualTo(transactionOf.get(id("other")));
        assertThat(results.subList(0, 2)).containsExactlyInAnyOrder(NEW, twice);
        assertThat(results.get(2)).isEqualTo(NEW);
        assertThat(List.of(outcome("copy-a"), outcome("copy-b"))).containsExactlyInAnyOrder("issued", "refused");
        assertThat(outcome("other")).isEqualTo("issued");
        assertThat(replayRows(twice)).isEqualTo(1);
    }

    @Test
    void commitWhenABatchMixesUnitsWithAndWithoutClaimsThenEachGetsItsOwnOutcome() throws Exception {
        ReplayClaim seen = claim();
        assertThat(trail.commit(List.of(seen), event("token_exchange", id("earlier")), c -> null)).isNull();
        ReplayClaim fresh = claim();
        AuditEvent plain = event("token_exchange", id("no-claim"));

        List<ReplayClaim> results = inOneBatch(new CommitBatcher.Unit(List.of(), plain, c -> plain), unit("replayed", seen),
                unit("fresh", fresh));

        assertThat(transactionOf.get(id("no-claim"))).isEqualTo(transactionOf.get(id("replayed")))
                .isEqualTo(transactionOf.get(id("fresh")));
        assertThat(results).containsExactly(NEW, seen, NEW);
        assertThat(outcome("no-claim")).isEqualTo("issued");
        assertThat(outcome("replayed")).isEqualTo("refused");
        assertThat(outcome("fresh")).isEqualTo("issued");
        assertThat(replayRows(fresh)).isEqualTo(1);
    }

    @Test
    void commitWhenAUnitWithTwoClaimsHasItsFirstReplayedThenItsSecondIsNotRecorded() throws Exception {
        ReplayClaim seen = claim();
        assertThat(trail.commit(List.of(seen), event("token_exchange", id("first-use")), c -> null)).isNull();
        ReplayClaim second = claim();
        CommitBatcher.Unit twoClaims = unit("two-claims", seen);
        twoClaims = new CommitBatcher.Unit(List.of(seen, second), twoClaims.event(), twoClaims.onReplay());

        List<ReplayClaim> results = inOneBatch(twoClaims, unit("neighbour", claim()));

        assertThat(results).containsExactly(seen, NEW);
        assertThat(outcome("two-claims")).isEqualTo("refused");
        assertThat(replayRows(second)).isZero();
    }

    @Test
    void commitWhenTheAuditRowIsRefusedThenTheReplayEntryIsNotKeptEither() {
        ReplayClaim claim = claim();
        AuditEvent refused = event("x".repeat(40), id("too-long-kind")); // kind is varchar(32)

        assertThatThrownBy(() -> trail.commit(List.of(claim), refused, c -> refused))
                .isInstanceOf(StoreUnavailableException.class);

        assertThat(replayRows(claim)).isZero();
        assertThat(trail.commit(List.of(claim), event("token_exchange", id("after")), c -> null)).isNull();
        assertThat(replayRows(claim)).isEqualTo(1);
    }

    @Test
    void commitWhenOneRequestOfABatchIsRefusedThenTheOthersStillCommit() throws Exception {
        ReplayClaim good = claim();
        ReplayClaim bad = claim();
        AuditEvent tooLong = event("x".repeat(40), id("bad"));

        List<ReplayClaim> results = inOneBatch(unit("good", good), new CommitBatcher.Unit(List.of(bad), tooLong, x -> tooLong));

        assertThat(results).containsExactly(NEW, null);
        assertThat(outcome("good")).isEqualTo("issued");
        assertThat(replayRows(good)).isEqualTo(1);
        assertThat(replayRows(bad)).isZero();
    }

    /**
     * Commits {@code units} from one thread each through a batcher with one writer whose first batch (a blocker) holds
     * until all of them have queued behind it, so they share the second batch. Per unit: the replayed claim, NEW when
     * it committed as new, null when it failed with {@link StoreUnavailableException}.
     */
    private List<ReplayClaim> inOneBatch(CommitBatcher.Unit... units) throws Exception {
        CommitBatcher.Unit blocker = unit("blocker", claim());
        CountDownLatch firstBatchWriting = new CountDownLatch(1);
        CommitBatcher[] batcher = new CommitBatcher[1];
        batcher[0] = new CommitBatcher(dataSource, (c, batch) -> {
            if (batch.contains(blocker)) {
                firstBatchWriting.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (batcher[0].queued() < units.length && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            long transaction = transactionId(c);
            batch.forEach(unit -> transactionOf.put(unit.event().requestId(), transaction));
            return trail.write(c, batch);
        }, 1);
        ExecutorService pool = Executors.newFixedThreadPool(units.length + 1);
        try {
            Future<ReplayClaim> first = pool.submit(() -> batcher[0].commit(blocker));
            assertThat(firstBatchWriting.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<ReplayClaim>> futures = new ArrayList<>();
            for (CommitBatcher.Unit u : units) {
                futures.add(pool.submit(() -> {
                    try {
                        ReplayClaim replayed = batcher[0].commit(u);
                        return replayed == null ? NEW : replayed;
                    } catch (StoreUnavailableException e) {
                        return null;
                    }
                }));
            }
            assertThat(first.get(20, TimeUnit.SECONDS)).isNull();
            List<ReplayClaim> results = new ArrayList<>();
            for (Future<ReplayClaim> f : futures) {
                results.add(f.get(20, TimeUnit.SECONDS));
            }
            assertThat(transactionOf.get(id("blocker"))).isNotEqualTo(transactionOf.get(units[0].event().requestId()));
            return results;
        } finally {
            pool.shutdownNow();
            batcher[0].close();
        }
    }

    private String id(String name) {
        return "batch-" + run + "-" + name;
    }

    private CommitBatcher.Unit unit(String name, ReplayClaim claim) {
        AuditEvent issued = event("token_exchange", id(name));
        AuditEvent replay = new AuditEvent(issued.occurredAt(), "acme", "token_exchange", AuditEvent.Outcome.REFUSED,
                "invalid_request", "replayed", id(name), null, null, null, null, null, List.of(), List.of(), null, null,
                null, null, null);
        return new CommitBatcher.Unit(List.of(claim), issued, c -> replay);
    }

    private static AuditEvent event(String kind, String requestId) {
        return new AuditEvent(Instant.now(), "acme", kind, AuditEvent.Outcome.ISSUED, null, null, requestId, null,
                "billing", "alice@EXAMPLE.TEST", null, null, List.of("https://ledger.example.test"), List.of(), null, null,
                null, UUID.randomUUID().toString(), Instant.now().plusSeconds(60));
    }

    private static ReplayClaim claim() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new ReplayClaim("test", key, Instant.now().plus(5, ChronoUnit.MINUTES));
    }

    private String outcome(String name) {
        return (String) AuditRows.byRequestId(dataSource, id(name)).orElseThrow().get("outcome");
    }

    private int replayRows(ReplayClaim claim) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM replay_entry WHERE kind = ? AND key_hash = ?")) {
            ps.setString(1, claim.kind());
            ps.setBytes(2, claim.keyHash());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long transactionId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT txid_current()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
