package dev.kerbex.kerberos;

import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/** A JAAS configuration with the JDK's Krb5LoginModule alone, built in code so no jaas.conf file is needed. */
final class Krb5Jaas {
    private Krb5Jaas() {
    }

    static Configuration with(Map<String, String> options) {
        Map<String, String> copy = Map.copyOf(options);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] { new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, copy) };
            }
        };
    }
}
