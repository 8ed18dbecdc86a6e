package dev.kerbex.testing;

import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Real initial context tokens from the JDK's GSS-API, against {@link TestKdc}: logs the client in with
 * {@code Krb5LoginModule} (password callback, no ticket cache, no JAAS file), then runs
 * {@code initSecContext} inside {@code Subject.doAs}. Each call yields a fresh token (new
 * authenticator), so tokens never collide in a replay cache. Logged-in subjects are cached per client.
 *
 * <p>Sets {@code java.security.krb5.conf} to the test KDC's krb5.conf and
 * {@code sun.security.krb5.disableReferrals=true}; {@code refreshKrb5Config=true} in the login module
 * makes the JDK reread krb5.conf even if its Kerberos classes were already used in this JVM.
 */
public final class GssTokens {

    public static final String KRB5_MECH = "1.2.840.113554.1.2.2";
    public static final String SPNEGO_MECH = "1.3.6.1.5.5.2";
    private static final String KRB5_PRINCIPAL_NAME = "1.2.840.113554.1.2.2.1";

    private static final Map<String, Subject> SUBJECTS = new ConcurrentHashMap<>();

    private GssTokens() {
    }

    /** Points the JDK's Kerberos at {@link TestKdc}; called by every token method, harmless to repeat. */
    public static synchronized TestKdc configureJdk() {
        TestKdc kdc = TestKdc.get();
        System.setProperty("java.security.krb5.conf", kdc.krb5Conf().toAbsolutePath().toString());
        System.setProperty("sun.security.krb5.disableReferrals", "true");
        System.setProperty("javax.security.auth.useSubjectCredsOnly", "true");
        return kdc;
    }

    /** A GSS-API krb5 initial context token (RFC 4121 §4.1) from {@code client} to {@code service}. */
    public static byte[] krb5(String client, String password, String service) {
        return token(client, password, service, KRB5_MECH);
    }

    /** A SPNEGO NegTokenInit (RFC 4178) carrying a krb5 token from {@code client} to {@code service}. */
    public static byte[] spnego(String client, String password, String service) {
        return token(client, password, service, SPNEGO_MECH);
    }

    /** alice's krb5 token for Kerbex's service. */
    public static byte[] aliceKrb5() {
        return krb5(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.SERVICE);
    }

    /** alice's krb5 token for Kerbex's service, base64 as a {@code subject_token}. */
    public static String aliceKrb5Base64() {
        return Base64.getEncoder().encodeToString(aliceKrb5());
    }

    /** alice's SPNEGO token for Kerbex's service, base64 as in {@code Authorization: Negotiate}. */
    public static String aliceSpnegoBase64() {
        return Base64.getEncoder().encodeToString(spnego(TestKdc.ALICE, TestKdc.ALICE_PASSWORD, TestKdc.SERVICE));
    }

    private static byte[] token(String client, String password, String service, String mech) {
        configureJdk();
        Subject subject = SUBJECTS.computeIfAbsent(client + "\0" + password, k -> login(client, password));
        try {
            return Subject.doAs(subject, (PrivilegedExceptionAction<byte[]>) () -> {
                GSSManager manager = GSSManager.getInstance();
                GSSName server = manager.createName(service, new Oid(KRB5_PRINCIPAL_NAME));
                GSSContext context = manager.createContext(server, new Oid(mech), null, GSSContext.DEFAULT_LIFETIME);
                try {
                    context.requestMutualAuth(false);
                    context.requestCredDeleg(false);
                    return context.initSecContext(new byte[0], 0, 0);
                } finally {
                    context.dispose();
                }
            });
        } catch (java.security.PrivilegedActionException e) {
            throw new IllegalStateException("GSS-API token for " + service + " failed", e.getException());
        }
    }

    private static Subject login(String client, String password) {
        Configuration configuration = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("principal", client,
                                "useTicketCache", "false",
                                "useKeyTab", "false",
                                "storeKey", "false",
                                "doNotPrompt", "false",
                                "refreshKrb5Config", "true",
                                "isInitiator", "true"))};
            }
        };
        Subject subject = new Subject();
        try {
            LoginContext login = new LoginContext("kerbex-test", subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(client);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password.toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            }, configuration);
            login.login();
            return subject;
        } catch (LoginException e) {
            throw new IllegalStateException("Kerberos login of " + client + " failed", e);
        }
    }
}
