package dev.kerbex.kerberos;

import dev.kerbex.config.KerbexConfig;
import dev.kerbex.exchange.DirectoryIdentity;
import dev.kerbex.exchange.SubjectVerifier;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.protocol.OAuthErrorCode;
import dev.kerbex.protocol.OAuthException;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.kerberos.KerberosVerificationException.Reason;
import dev.kerbex.store.ReplayClaim;
import dev.kerbex.store.ReplayStore;
import dev.kerbex.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The forward path's subject verifier (SPEC §5): base64 or base64url AP-REQ, verified with the configured
 * keytabs against the tenant's services, realms and enctypes, with the replay cache in PostgreSQL.
 */
@ApplicationScoped
public class KerberosSubjectVerifier implements SubjectVerifier {
    private static final Logger LOG = Logger.getLogger(KerberosSubjectVerifier.class);
    static final String REPLAY_KIND = "krb-authn";
    /** Base64 of {@link ApReqVerifier#MAX_TOKEN_BYTES} bytes, plus room for padding. */
    private static final int MAX_BASE64_CHARS = (ApReqVerifier.MAX_TOKEN_BYTES + 2) / 3 * 4 + 4;

    private final ApReqVerifier verifier;
    private final KeytabKeys keys;
    private final Clock clock;
    private final KerbexConfig config;

    public KerberosSubjectVerifier(KerbexConfig config, ReplayStore replay, Instance<KeytabSource> extraKeytabs,
            Clock clock) {
        this.config = config;
        List<Path> files = new ArrayList<>(config.kerberos().keytabs().orElse(List.of()));
        extraKeytabs.forEach(s -> files.addAll(s.keytabs()));
        if (files.isEmpty()) {
            LOG.warn("No kerbex.kerberos.keytabs configured: Kerberos subject tokens cannot be verified");
        }
        this.clock = clock;
        this.keys = new KeytabKeys(files, clock);
        this.verifier = new ApReqVerifier(keys, (key, expiresAt) -> replay.firstSeen(REPLAY_KIND, key, expiresAt), clock);
    }

    /** For each principal in the keytabs, when its newest key was written (readiness: health/KeytabReadiness). */
    public Map<String, java.time.Instant> keytabEntries() {
        return keys.newestEntries();
    }

    @Override
    public Set<TokenType> types() {
        return Set.of(TokenType.KERBEROS_AP_REQ);
    }

    @Override
    public VerifiedSubject verify(String token, TokenType type, VerificationContext context) {
        Tenant tenant = context.tenant().tenant();
        String parameter = context.parameter();
        byte[] bytes = decode(token, parameter);
        Set<String> enctypes = tenant.enctypes().isEmpty() ? VerificationSettings.DEFAULT_ENCTYPES
                : new HashSet<>(tenant.enctypes());
        VerificationSettings settings = new VerificationSettings(new HashSet<>(tenant.services()),
                new HashSet<>(tenant.realms()), enctypes, config.kerberos().clockSkew());
        try {
            KerberosIdentity id = context.replays() == null ? verifier.verify(bytes, settings)
                    : verifyDeferringReplayCheck(bytes, settings, context);
            // An MIT PAC (no LOGON_INFO) proves no directory identity: such a subject has no groups (SPEC §5a).
            DirectoryIdentity directory = id.pac() == null || id.pac().userSid() == null ? null
                    : new DirectoryIdentity(id.pac().userSid(), id.pac().groupSids(), id.pac().upn());
            return new VerifiedSubject(TokenType.KERBEROS_AP_REQ, id.principal(), id.realm(), null, null, id.ticketEnd(),
                    id.authTime(), null, null, Map.of("principal", id.principal(), "realm", id.realm()), directory);
        } catch (KerberosVerificationException e) {
            throw refusal(parameter, e);
        }
    }

    /**
     * Verifies with a replay check that only notes the authenticator: the exchange records it in the transaction of
     * its audit row, and answers the same refusal as {@link Reason#REPLAYED} if the value turns out to be known.
     */
    private KerberosIdentity verifyDeferringReplayCheck(byte[] token, VerificationSettings settings,
            VerificationContext context) throws KerberosVerificationException {
        ReplayClaim[] claim = new ReplayClaim[1];
        KerberosIdentity id = new ApReqVerifier(keys, (key, expiresAt) -> {
            claim[0] = new ReplayClaim(REPLAY_KIND, key, expiresAt);
            return true;
        }, clock).verify(token, settings);
        context.replays().add(claim[0], () -> refusal(context.parameter(), new KerberosVerificationException(
                Reason.REPLAYED, "authenticator replayed",
                "authenticator of " + id.principal() + " for " + id.servicePrincipal() + " replayed")));
        return id;
    }

    private static OAuthException refusal(String parameter, KerberosVerificationException e) {
        return new OAuthException(OAuthErrorCode.INVALID_REQUEST, parameter + ": " + e.description(),
                parameter + ": " + e.reason() + ": " + e.detail());
    }

    /**
     * Base64 or base64url, padded or not. A space is read as '+': it is what an unencoded '+' becomes in a
     * form body, and it can never be part of valid base64 anyway.
     */
    private static byte[] decode(String token, String parameter) {
        if (token.length() > MAX_BASE64_CHARS) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST,
                    parameter + ": Kerberos token exceeds " + ApReqVerifier.MAX_TOKEN_BYTES + " bytes");
        }
        String s = token.strip().replace(' ', '+');
        try {
            return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, parameter + ": not valid base64");
        }
    }
}
