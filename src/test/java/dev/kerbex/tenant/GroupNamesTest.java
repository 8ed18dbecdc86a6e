package dev.kerbex.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.policy.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §5a {@code group_names}: what a tenant may name, and what a subject's groups become. */
class GroupNamesTest {

    static final String READERS = "S-1-5-21-1004336348-1177238915-682003330-1105";
    static final String WRITERS = "S-1-5-21-1004336348-1177238915-682003330-1106";

    @Test
    void validateWhenSidsAndNamesAreGoodThenNoErrors() {
        List<FieldError> errors = new ArrayList<>();
        GroupNames.validate(Map.of(READERS, "ledger-readers", "S-1-5-32-544", "BUILTIN Administrators"), errors);

        assertThat(errors).isEmpty();
    }

    @Test
    void validateWhenBadSidOrNameThenOneErrorPerEntry() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("S-1-5", "too-short");
        names.put("alice", "not-a-sid");
        names.put(READERS, "ledger-*");
        names.put(WRITERS, " padded");
        names.put("S-1-5-21-1-2-3-4", "");
        List<FieldError> errors = new ArrayList<>();

        GroupNames.validate(names, errors);

        String sidMessage = "not a SID such as S-1-5-21-1004336348-1177238915-682003330-1105";
        String nameMessage = "must be a name of 1 to 255 characters, without '*', '?' or surrounding whitespace";
        assertThat(errors).containsExactly(
                new FieldError("/group_names/S-1-5", sidMessage),
                new FieldError("/group_names/S-1-5-21-1-2-3-4", nameMessage),
                new FieldError("/group_names/" + READERS, nameMessage),
                new FieldError("/group_names/" + WRITERS, nameMessage),
                new FieldError("/group_names/alice", sidMessage));
    }

    @Test
    void allWhenSomeSidsAreNamedThenNamesFirstThenEverySid() {
        Map<String, String> names = Map.of(READERS, "ledger-readers");

        assertThat(GroupNames.names(List.of(WRITERS, READERS), names)).containsExactly("ledger-readers");
        assertThat(GroupNames.all(List.of(WRITERS, READERS), names)).containsExactly("ledger-readers", WRITERS, READERS);
    }
}
