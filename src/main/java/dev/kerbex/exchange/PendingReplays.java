package dev.kerbex.exchange;

import dev.kerbex.protocol.OAuthException;
import dev.kerbex.store.ReplayClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The replay-cache entries one exchange has to record (SPEC §5), each with the refusal it turns into if the value was
 * seen before. They are written with the exchange's audit row in one transaction at the end ({@code
 * AuditTrail.commit}), not one commit each as the token is verified. Lives on one request's stack only.
 */
public final class PendingReplays {
    /** One value to record, and the error the exchange answers if it is a replay (built only then). */
    public record Entry(ReplayClaim claim, Supplier<OAuthException> ifReplayed) {
    }

    private final List<Entry> entries = new ArrayList<>(2);

    public void add(ReplayClaim claim, Supplier<OAuthException> ifReplayed) {
        entries.add(new Entry(claim, ifReplayed));
    }

    List<ReplayClaim> claims() {
        return entries.stream().map(Entry::claim).toList();
    }

    OAuthException refusalFor(ReplayClaim claim) {
        return entries.stream().filter(e -> e.claim() == claim).findFirst().orElseThrow().ifReplayed().get();
    }
}
