package dev.kerbex.kerberos;

import java.util.List;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationDataEntry;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationType;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;

/** Finds the PAC in a ticket's authorization data: AD-IF-RELEVANT → AD-WIN2K-PAC ([MS-PAC] §2.2, RFC 4120 §5.2.6.1). */
final class Pacs {

    private Pacs() {
    }

    /** The PAC's bytes, or {@code null} when the ticket carries none; two PACs are a malformed ticket. */
    static byte[] find(EncTicketPart part) throws KerberosVerificationException {
        AuthorizationData data = part.getAuthorizationData();
        if (data == null) {
            return null;
        }
        byte[] found = null;
        for (AuthorizationDataEntry entry : entries(data)) {
            if (entry.getAuthzType() != AuthorizationType.AD_IF_RELEVANT || entry.getAuthzData() == null) {
                continue;
            }
            byte[] inner = entry.getAuthzData();
            Der.check(inner);
            AuthorizationData relevant = ApReqVerifier.decode(new AuthorizationData(), inner, "AD-IF-RELEVANT");
            for (AuthorizationDataEntry e : entries(relevant)) {
                if (e.getAuthzType() == AuthorizationType.AD_WIN2K_PAC) {
                    if (found != null || e.getAuthzData() == null) {
                        throw new KerberosVerificationException(KerberosVerificationException.Reason.PAC_INVALID,
                                PacDecoder.MALFORMED, "ticket carries two PACs or an empty one");
                    }
                    found = e.getAuthzData();
                }
            }
        }
        return found;
    }

    private static List<AuthorizationDataEntry> entries(AuthorizationData data) throws KerberosVerificationException {
        try {
            List<AuthorizationDataEntry> list = data.getElements();
            return list == null ? List.of() : list;
        } catch (RuntimeException e) {
            throw Der.malformed("authorization data does not decode: " + e.getClass().getSimpleName());
        }
    }
}
