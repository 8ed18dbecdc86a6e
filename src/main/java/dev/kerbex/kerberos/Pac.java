package dev.kerbex.kerberos;

import java.util.List;
import java.util.Objects;

/**
 * What a verified Active Directory PAC ([MS-PAC]) says about the ticket's client (SPEC §5a).
 *
 * @param userSid   the user's SID ({@code S-1-5-21-…-1104}): the logon domain SID and the user RID; {@code null}
 *                  when the PAC has no LOGON_INFO (MIT KDCs since krb5 1.20), and then no groups either
 * @param groupSids every group SID, each once, in the PAC's order: the primary group, the groups, the extra SIDs,
 *                  then the resource groups
 * @param upn       the user principal name of UPN_DNS_INFO, {@code null} when the PAC has none
 * @param logonName the account name of PAC_CLIENT_INFO (checked against the ticket's client)
 */
public record Pac(String userSid, List<String> groupSids, String upn, String logonName) {

    public Pac {
        groupSids = List.copyOf(groupSids);
        Objects.requireNonNull(logonName, "logonName");
    }
}
