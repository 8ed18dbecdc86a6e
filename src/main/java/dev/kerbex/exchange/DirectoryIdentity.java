package dev.kerbex.exchange;

import java.util.List;
import java.util.Objects;

/**
 * What an Active Directory PAC proved about a Kerberos subject (SPEC §5a).
 *
 * @param userSid   the user's SID
 * @param groupSids the group SIDs: primary group, groups, extra SIDs, resource groups, each once
 * @param upn       the user principal name, {@code null} when the PAC has none
 */
public record DirectoryIdentity(String userSid, List<String> groupSids, String upn) {

    public DirectoryIdentity {
        Objects.requireNonNull(userSid, "userSid");
        groupSids = List.copyOf(groupSids);
    }
}
