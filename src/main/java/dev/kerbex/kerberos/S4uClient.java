package dev.kerbex.kerberos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;

/**
 * Protocol transition and constrained delegation (S4U2Self then S4U2Proxy, MS-SFU): Kerbex, logged in with
 * its own keytab, obtains a service ticket for {@code target} in the name of {@code user}, ending no later
 * than a given instant. The login (AS exchange) is the JDK's Krb5LoginModule, reading the krb5.conf of
 * {@code java.security.krb5.conf} (and finding the KDCs there, or in DNS through the system's resolvers); the two TGS
 * exchanges are Kerbex's own ({@link TgsExchange}, {@link KdcTransport}), because the JDK's GSS-API cannot bound a
 * ticket's end time. Every wait on the KDC is bounded.
 *
 * <p>One client serves one S4U identity for every request: its TGT is shared (and renewed before it ends), and each
 * user's S4U2Self evidence ticket is reused for that user's next tickets within the bounds of {@link EvidenceTickets},
 * so a request usually costs one KDC exchange (S4U2Proxy).
 */
public final class S4uClient {
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private final String principal;
    private final Path keytab;
    private final Duration timeout;
    private final TgsExchange tgs;
    private final Clock clock;
    private final EvidenceTickets evidence;
    private volatile TgsExchange.Tgt tgt;
    private CompletableFuture<TgsExchange.Tgt> pendingLogin;

    /**
     * @param krb5Conf the realm's KDCs are read from it once; the JDK's login reads the file named by
     *        {@code java.security.krb5.conf}, which the caller sets once per JVM to the same file
     * @param timeout the longest wait for one KDC; a login waits at most twice that
     * @param clock   the service's clock (lifetimes, the TGT's renewal, the evidence cache)
     */
    public S4uClient(String principal, Path keytab, Path krb5Conf, Duration timeout, Clock clock) throws IOException {
        this(principal, keytab, krb5Conf, Optional.empty(), timeout, clock);
    }

    /**
     * @param dnsResolver {@code host[:port]} of the DNS server that locates the realm's KDCs when krb5.conf lists none
     *        (SRV records, {@link KdcLocator}); empty = the system's resolvers
     */
    public S4uClient(String principal, Path keytab, Path krb5Conf, Optional<String> dnsResolver, Duration timeout,
            Clock clock) throws IOException {
        this.clock = clock;
        this.evidence = new EvidenceTickets(clock);
        this.principal = principal;
        this.keytab = keytab;
        this.timeout = timeout;
        String realm = principal.substring(principal.lastIndexOf('@') + 1);
        Krb5Realms conf = Krb5Realms.read(krb5Conf);
        this.tgs = new TgsExchange(new KdcTransport(new KdcLocator(conf, dnsResolver, timeout).of(realm),
                conf.udpPreferenceLimit(), timeout, clock));
    }

    public String principal() {
        return principal;
    }

    /**
     * A service ticket for {@code target}, client {@code user}, with its session key, that ends no later than
     * {@code till} (the KDC may end it sooner).
     */
    public ServiceTicket obtain(String user, String target, Instant till) throws S4uException {
        TgsExchange.Tgt login = loggedIn();
        EvidenceTickets.Evidence reused = evidence.reusable(user, till, login.endTime());
        try {
            return obtainWith(login, reused, user, target, till);
        } catch (S4uException e) {
            if (e.kind() == S4uException.Kind.TGT_EXPIRED) {
                // The TGT, or in S4U2Proxy possibly the evidence ticket, expired: start over with fresh ones.
                tgt = null;
                if (reused != null) {
                    evidence.drop(user, reused);
                }
                return obtainWith(loggedIn(), null, user, target, till);
            }
            if (reused != null && e.kind() == S4uException.Kind.OTHER) {
                // The KDC may no longer take the evidence (Kerbex's key changed, the KDC restarted with other keys):
                // once more with a fresh one. Refusals of the target or the user are answers, not retried.
                evidence.drop(user, reused);
                return obtainWith(login, null, user, target, till);
            }
            throw e;
        }
    }

    private ServiceTicket obtainWith(TgsExchange.Tgt login, EvidenceTickets.Evidence reused, String user, String target,
            Instant till) throws S4uException {
        Ticket evidenceTicket = reused != null ? reused.ticket() : selfTicket(login, user, target);
        TgsExchange.Reply proxy = tgs.s4u2proxy(login, evidenceTicket, user, target, till);
        EncKdcReplyPart part = proxy.part();
        Instant end = instant(part.endTime());
        Instant renewTill = part.flags().isFlagSet(TicketFlag.RENEWABLE) ? instant(part.renewTill()) : null;
        if (!proxy.client().equals(user)) {
            throw new S4uException(S4uException.Kind.OTHER, "S4U2Proxy for " + user + " to " + target
                    + ": the KDC's ticket names " + proxy.client() + ", not the user", null);
        }
        if (end == null || end.isAfter(till) || (renewTill != null && renewTill.isAfter(till))) {
            throw new S4uException(S4uException.Kind.OTHER, "S4U2Proxy for " + user + " to " + target
                    + ": the KDC's ticket ends at " + end + (renewTill == null ? "" : ", renewable until " + renewTill)
                    + ", after the requested " + till, null);
        }
        return new ServiceTicket(user, target, encode(proxy.ticket()), KerberosCrypto.keyType(part.key()),
                part.key().getKeyData(), flags(part.flags().getFlags()), instant(part.authTime()),
                instant(part.startTime()), end, renewTill);
    }

    /**
     * S4U2Self, asked to last as long as Kerbex's TGT, so that the evidence can vouch for this user's next tickets
     * too (it never leaves Kerbex; each issued ticket's end is bounded by its own request, in S4U2Proxy).
     */
    private Ticket selfTicket(TgsExchange.Tgt login, String user, String target) throws S4uException {
        TgsExchange.Reply self = tgs.s4u2self(login, user, target, login.endTime());
        if (!self.part().flags().isFlagSet(TicketFlag.FORWARDABLE)) {
            throw new S4uException(S4uException.Kind.PROTOCOL_TRANSITION_REFUSED, "S4U2Self for " + user + " to " + target
                    + ": the KDC's ticket is not forwardable, so " + principal + " may not use protocol transition"
                    + " (MIT: +ok_to_auth_as_delegate; Active Directory: trusted to authenticate for delegation)", null);
        }
        Instant end = instant(self.part().endTime());
        if (end != null) {
            evidence.remember(user, new EvidenceTickets.Evidence(self.ticket(), end, clock.instant()));
        }
        return self.ticket();
    }

    /** Kerbex's TGT, logged in again five minutes before it ends; a login waits for the KDC at most 2 × timeout. */
    private TgsExchange.Tgt loggedIn() throws S4uException {
        TgsExchange.Tgt current = tgt;
        if (current != null && !expiring(current)) {
            return current;
        }
        CompletableFuture<TgsExchange.Tgt> login;
        synchronized (this) {
            if (pendingLogin == null || pendingLogin.isDone()) {
                pendingLogin = CompletableFuture.supplyAsync(this::login, task -> {
                    Thread thread = new Thread(task, "kerbex-s4u-login");
                    thread.setDaemon(true);
                    thread.start();
                });
            }
            login = pendingLogin;
        }
        try {
            TgsExchange.Tgt fresh = login.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            tgt = fresh;
            return fresh;
        } catch (TimeoutException e) {
            throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, "login of " + principal
                    + " with its keytab: no answer from the KDC within " + timeout.toMillis() * 2 + " ms", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LoginFailure f) {
                throw f.failure;
            }
            throw new S4uException(S4uException.Kind.LOGIN_FAILED, "login of " + principal + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new S4uException(S4uException.Kind.KDC_UNREACHABLE, "login of " + principal + " interrupted", e);
        }
    }

    private boolean expiring(TgsExchange.Tgt t) {
        return t.endTime().isBefore(clock.instant().plus(RENEW_BEFORE));
    }

    private TgsExchange.Tgt login() {
        Map<String, String> options = new HashMap<>();
        options.put("useKeyTab", "true");
        options.put("keyTab", keytab.toString());
        options.put("principal", principal);
        options.put("storeKey", "true");
        options.put("doNotPrompt", "true");
        options.put("isInitiator", "true");
        options.put("refreshKrb5Config", "true");
        Configuration jaas = Krb5Jaas.with(options);
        try {
            Subject subject = new Subject();
            new LoginContext("kerbex-s4u", subject, null, jaas).login();
            for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
                if (t.getServer().getName().startsWith("krbtgt/")) {
                    Ticket ticket = new Ticket();
                    ticket.decode(t.getEncoded());
                    return new TgsExchange.Tgt(ticket,
                            KerberosCrypto.key(t.getSessionKeyType(), t.getSessionKey().getEncoded()),
                            t.getClient().getName(), t.getEndTime().toInstant());
                }
            }
            throw new LoginFailure(new S4uException(S4uException.Kind.LOGIN_FAILED,
                    "login of " + principal + " with its keytab gave no TGT", null));
        } catch (LoginException e) {
            throw new LoginFailure(S4uException.fromLogin(principal, e));
        } catch (IOException e) {
            throw new LoginFailure(new S4uException(S4uException.Kind.LOGIN_FAILED,
                    "login of " + principal + ": the TGT could not be decoded", e));
        }
    }

    /** RFC 4120 §5.3 bit order: bit 0 is the most significant of the 32-bit flags. */
    private static boolean[] flags(int bits) {
        boolean[] flags = new boolean[32];
        for (int i = 0; i < 32; i++) {
            flags[i] = (bits >>> (31 - i) & 1) == 1;
        }
        return flags;
    }

    private static byte[] encode(Ticket ticket) throws S4uException {
        try {
            return ticket.encode();
        } catch (IOException | RuntimeException e) {
            throw new S4uException(S4uException.Kind.OTHER, "the KDC's ticket could not be encoded", e);
        }
    }

    private static Instant instant(org.apache.kerby.kerberos.kerb.type.KerberosTime t) {
        return t == null ? null : Instant.ofEpochMilli(t.getTime());
    }

    /** Carries a typed login failure out of the login thread. */
    private static final class LoginFailure extends RuntimeException {
        private final S4uException failure;

        LoginFailure(S4uException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
