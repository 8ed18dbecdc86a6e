package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class Krb5RealmsTest {

    @Test
    void parseWhenMitProfileThenDefaultRealmAndEachRealmsKdcsInOrder() {
        Krb5Realms conf = Krb5Realms.parse("""
                # comment
                [libdefaults]
                    default_realm = CORP.EXAMPLE
                    dns_lookup_kdc = false
                [realms]
                    CORP.EXAMPLE = {
                        kdc = dc1.corp.example
                        kdc = tcp/dc2.corp.example:1088
                        admin_server = dc1.corp.example
                        auth_to_local = {
                            kdc = not-a-kdc.example
                        }
                    }
                    OTHER.EXAMPLE = {
                        kdc = [::1]:750
                        ; comment
                        kdc = "quoted.example"
                    }
                [domain_realm]
                    kdc = ignored.example
                """);

        assertThat(conf.defaultRealm()).contains("CORP.EXAMPLE");
        assertThat(conf.kdcs("CORP.EXAMPLE")).extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dc1.corp.example", 88),
                        org.assertj.core.groups.Tuple.tuple("dc2.corp.example", 1088));
        assertThat(conf.kdcs("OTHER.EXAMPLE")).extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("::1", 750),
                        org.assertj.core.groups.Tuple.tuple("quoted.example", 88));
        assertThat(conf.kdcs("UNKNOWN.EXAMPLE")).isEmpty();
    }

    @Test
    void parseWhenKdcValueMalformedThenSkipped() {
        Krb5Realms conf = Krb5Realms.parse("""
                [realms]
                R = {
                    kdc = host:notaport
                    kdc = https://kkdcp.example/KdcProxy
                    kdc = host:70000
                    kdc = good.example:88
                }
                """);
        assertThat(conf.kdcs("R")).extracting(InetSocketAddress::getHostString).containsExactly("good.example");
        assertThat(conf.defaultRealm()).isEmpty();
    }
}
