package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TinyDns;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Optional;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.Test;

/**
 * DNS discovery inside the running service: Quarkus disables JNDI ({@code quarkus.naming.enable-jndi=false}), and
 * Kerbex's KDC lookup still works, because it takes the JDK's DNS provider directly rather than through JNDI's
 * {@code InitialContext}.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class KdcDiscoveryInQuarkusTest {

    @Test
    void locateWhenJndiIsDisabledByQuarkusThenSrvRecordsAreStillFound() throws Exception {
        // What KdcLocator did first, and what failed inside the service: JNDI's InitialContext for the DNS provider.
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns:");
        assertThatThrownBy(() -> new InitialDirContext(env)).isInstanceOf(NamingException.class)
                .hasMessageContaining("JNDI has been disabled");
        try (TinyDns dns = new TinyDns()) {
            dns.srv("_kerberos._tcp.EXAMPLE.TEST", 0, 0, 88, "dc1.example.test.").a("dc1.example.test", "127.0.0.11");
            Krb5Realms conf = Krb5Realms.parse("[realms]\n EXAMPLE.TEST = {\n }\n");

            assertThat(new KdcLocator(conf, Optional.of(dns.address()), Duration.ofSeconds(2)).locate("EXAMPLE.TEST"))
                    .containsExactly(new Krb5Realms.Kdc("127.0.0.11", 88, Krb5Realms.Transport.TCP));
        }
    }
}
