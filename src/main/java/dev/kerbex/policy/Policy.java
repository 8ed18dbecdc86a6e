package dev.kerbex.policy;

/**
 * One exchange rule of a tenant (SPEC §7).
 *
 * <p>Construction never fails on content: the admin API and the declarative-file loader build a
 * {@code Policy} from whatever they were given and ask {@link PolicyValidator} what is wrong with
 * it, so every field error can be reported at once. A missing {@code match} or {@code grant} is
 * normalised to an empty one (whose missing audiences the validator then reports).
 *
 * @param id       store identifier; {@code null} for a policy not yet saved (e.g. a dry run)
 * @param revision revision number of the stored policy; every edit creates a new revision (SPEC §8)
 * @param name     natural key within the tenant (SPEC §12), also the tie-breaker between priorities
 * @param priority lower wins among matching allows; 0..1 000 000
 */
public record Policy(String id, int revision, String name, Effect effect, int priority, PolicyMatch match,
        PolicyGrant grant) {

    public Policy {
        match = match == null ? PolicyMatch.EMPTY : match;
        grant = grant == null ? PolicyGrant.EMPTY : grant;
    }

    /** A short, human label for outcomes and audit detail: {@code name (rev N)}. */
    public String label() {
        return (name == null ? "<unnamed>" : name) + " (rev " + revision + ")";
    }
}
