package dev.kerbex.kerberos;

import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Prints a base64 Kerberos initial context token (SPNEGO by default, {@code --mech krb5} for the RFC 4121
 * framing) made by the JDK's GSS-API, for use as a {@code subject_token}. A way to try Kerbex with nothing
 * but a JDK; real callers get the same token from their own GSS-API.
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' dev.kerbex.kerberos.ApReqTool \
 *   --krb5-conf .kerbex/demo/krb5.conf --principal alice@KERBEX.DEMO --password ... --service HTTP/localhost@KERBEX.DEMO</pre>
 * Without {@code --password} the ticket cache ({@code kinit}) is used.
 */
public final class ApReqTool {
    private static final String KRB5 = "1.2.840.113554.1.2.2";
    private static final String SPNEGO = "1.3.6.1.5.5.2";
    private static final String KRB5_PRINCIPAL_NAME = "1.2.840.113554.1.2.2.1";

    private ApReqTool() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String principal = opts.get("principal");
        String service = opts.get("service");
        if (principal == null || service == null) {
            System.err.println("usage: ApReqTool --principal user@REALM --service HTTP/host@REALM"
                    + " [--password P] [--krb5-conf FILE] [--mech spnego|krb5]");
            System.exit(2);
        }
        if (opts.containsKey("krb5-conf")) {
            System.setProperty("java.security.krb5.conf", opts.get("krb5-conf"));
        }
        byte[] token = token(principal, opts.get("password"), service, "krb5".equals(opts.get("mech")) ? KRB5 : SPNEGO);
        System.out.println(Base64.getEncoder().encodeToString(token));
    }

    /** Logs {@code principal} in (password, or the ticket cache when null) and makes a token for {@code service}. */
    public static byte[] token(String principal, String password, String service, String mech) throws Exception {
        Map<String, String> options = new HashMap<>();
        options.put("principal", principal);
        options.put("isInitiator", "true");
        options.put("refreshKrb5Config", "true");
        if (password == null) {
            options.put("useTicketCache", "true");
            options.put("doNotPrompt", "true");
        }
        Configuration jaas = Krb5Jaas.with(options);
        LoginContext login = new LoginContext("kerbex-ap-req-tool", new Subject(), callbacks -> {
            for (Callback cb : callbacks) {
                if (cb instanceof NameCallback n) {
                    n.setName(principal);
                } else if (cb instanceof PasswordCallback p && password != null) {
                    p.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(cb);
                }
            }
        }, jaas);
        login.login();
        try {
            return Subject.doAs(login.getSubject(), (PrivilegedExceptionAction<byte[]>) () -> {
                GSSManager manager = GSSManager.getInstance();
                Oid mechOid = new Oid(mech);
                GSSName server = manager.createName(service, new Oid(KRB5_PRINCIPAL_NAME));
                GSSCredential credential = manager.createCredential(null, GSSCredential.DEFAULT_LIFETIME, mechOid,
                        GSSCredential.INITIATE_ONLY);
                GSSContext context = manager.createContext(server, mechOid, credential, GSSContext.DEFAULT_LIFETIME);
                try {
                    context.requestMutualAuth(false);
                    return context.initSecContext(new byte[0], 0, 0);
                } finally {
                    context.dispose();
                }
            });
        } finally {
            login.logout();
        }
    }
}
