package dev.kerbex.kerberos;

import com.sun.security.jgss.ExtendedGSSCredential;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Protocol transition and constrained delegation (S4U2Self then S4U2Proxy, MS-SFU) through the JDK's
 * GSS-API: Kerbex, logged in with its own keytab, obtains a service ticket for {@code target} in the name of
 * {@code user}. Kerby has no S4U; the JDK does. The JDK adds every S4U2Proxy ticket to the Subject in use,
 * so each call works on a fresh copy of the logged-in Subject and never lets tickets pile up in it.
 */
public final class S4uClient {
    private static final Oid KRB5;
    private static final Oid KRB5_PRINCIPAL_NAME;

    static {
        try {
            KRB5 = new Oid("1.2.840.113554.1.2.2");
            KRB5_PRINCIPAL_NAME = new Oid("1.2.840.113554.1.2.2.1");
        } catch (GSSException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String principal;
    private final Path keytab;
    private volatile Subject login;

    /** The JDK reads krb5.conf from {@code java.security.krb5.conf}; the caller sets it once per JVM. */
    public S4uClient(String principal, Path keytab) {
        this.principal = principal;
        this.keytab = keytab;
    }

    /** A service ticket for {@code target}, client {@code user}, with its session key. */
    public ServiceTicket obtain(String user, String target) throws S4uException {
        Subject copy = copyOf(loggedIn());
        try {
            return Subject.doAs(copy, (PrivilegedExceptionAction<ServiceTicket>) () -> {
                GSSManager manager = GSSManager.getInstance();
                GSSCredential self = manager.createCredential(null, GSSCredential.DEFAULT_LIFETIME, KRB5,
                        GSSCredential.INITIATE_ONLY);
                GSSCredential asUser;
                try {
                    asUser = ((ExtendedGSSCredential) self).impersonate(manager.createName(user, KRB5_PRINCIPAL_NAME));
                } catch (GSSException e) {
                    throw S4uException.from("S4U2Self", user, target, e);
                }
                GSSContext context = manager.createContext(manager.createName(target, KRB5_PRINCIPAL_NAME), KRB5, asUser,
                        GSSContext.DEFAULT_LIFETIME);
                try {
                    context.requestMutualAuth(false);
                    context.requestCredDeleg(false);
                    context.initSecContext(new byte[0], 0, 0);
                } catch (GSSException e) {
                    throw S4uException.from("S4U2Proxy", user, target, e);
                } finally {
                    context.dispose();
                }
                return ticketFor(copy, user, target);
            });
        } catch (java.security.PrivilegedActionException e) {
            if (e.getException() instanceof S4uException s) {
                throw s;
            }
            throw new S4uException(S4uException.Kind.OTHER, "S4U failed: " + e.getException().getMessage(), e);
        }
    }

    private static ServiceTicket ticketFor(Subject subject, String user, String target) throws S4uException {
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (t.getServer().getName().equals(target) && t.getClient().getName().equals(user)) {
                return new ServiceTicket(user, target, t.getEncoded(), t.getSessionKeyType(),
                        t.getSessionKey().getEncoded(), t.getFlags(), instant(t.getAuthTime()), instant(t.getStartTime()),
                        instant(t.getEndTime()), instant(t.getRenewTill()));
            }
        }
        throw new S4uException(S4uException.Kind.OTHER, "the KDC answered, but no ticket for " + target + " came back", null);
    }

    private Subject loggedIn() throws S4uException {
        Subject s = login;
        if (s == null || expiring(s)) {
            synchronized (this) {
                s = login;
                if (s == null || expiring(s)) {
                    s = login();
                    login = s;
                }
            }
        }
        return s;
    }

    private static boolean expiring(Subject s) {
        Instant soon = Instant.now().plusSeconds(300);
        return s.getPrivateCredentials(KerberosTicket.class).stream()
                .filter(t -> t.getServer().getName().startsWith("krbtgt/"))
                .noneMatch(t -> t.getEndTime() != null && t.getEndTime().toInstant().isAfter(soon));
    }

    private Subject login() throws S4uException {
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
            return subject;
        } catch (LoginException e) {
            throw S4uException.fromLogin(principal, e);
        }
    }

    /** A copy that shares the TGT and keys but collects this request's tickets on its own. */
    private static Subject copyOf(Subject s) {
        return new Subject(false, new HashSet<>(s.getPrincipals()), new HashSet<>(s.getPublicCredentials()),
                new HashSet<>(s.getPrivateCredentials()));
    }

    private static Instant instant(java.util.Date d) {
        return d == null ? null : d.toInstant();
    }

}
