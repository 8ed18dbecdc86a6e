package dev.kerbex.tenant;

import dev.kerbex.policy.FieldError;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A tenant's {@code group_names} (SPEC §5a): names for the group SIDs of Active Directory PACs. A subject's groups
 * are the mapped names plus every SID, so a policy may name either; issued tokens carry the names only (a SID means
 * nothing to an API).
 */
public final class GroupNames {

    /** [MS-DTYP] §2.4.2.1 string form: revision 1, an authority, one to fifteen sub-authorities. */
    static final Pattern SID = Pattern.compile("S-1-(0x[0-9A-F]{12}|[0-9]{1,10})(-[0-9]{1,10}){1,15}");
    /** A name a policy glob can match and a token can carry: printable, no glob metacharacters. */
    static final Pattern NAME = Pattern.compile("[^\\s*?\\p{Cntrl}][^*?\\p{Cntrl}]{0,254}");
    static final int MAX_ENTRIES = 1000;

    private GroupNames() {
    }

    /** Each SID a valid SID, each name non-empty and without glob metacharacters; at most 1,000 entries. */
    public static void validate(Map<String, String> groupNames, List<FieldError> errors) {
        if (groupNames == null) {
            return;
        }
        if (groupNames.size() > MAX_ENTRIES) {
            errors.add(new FieldError("/group_names", "at most " + MAX_ENTRIES + " entries"));
            return;
        }
        new TreeMap<>(groupNames).forEach((sid, name) -> {
            String pointer = "/group_names/" + sid.replace("~", "~0").replace("/", "~1");
            if (!SID.matcher(sid).matches()) {
                errors.add(new FieldError(pointer, "not a SID such as S-1-5-21-1004336348-1177238915-682003330-1105"));
            } else if (name == null || !NAME.matcher(name).matches() || name.strip().length() != name.length()) {
                errors.add(new FieldError(pointer, "must be a name of 1 to 255 characters, without '*', '?' or "
                        + "surrounding whitespace"));
            }
        });
    }

    /** The names the tenant gives to {@code sids}, in the order of the SIDs, each once. */
    public static List<String> names(Collection<String> sids, Map<String, String> groupNames) {
        Set<String> names = new LinkedHashSet<>();
        for (String sid : sids) {
            String name = groupNames.get(sid);
            if (name != null) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** SPEC §5a: the subject's groups for policy matching, the mapped names plus every SID. */
    public static Set<String> all(Collection<String> sids, Map<String, String> groupNames) {
        Set<String> all = new LinkedHashSet<>(names(sids, groupNames));
        all.addAll(sids);
        return all;
    }
}
