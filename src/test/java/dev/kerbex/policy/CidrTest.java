package dev.kerbex.policy;

import static dev.kerbex.policy.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CidrTest {

    static Stream<Arguments> contains() {
        return Stream.of(
                Arguments.of("10.0.0.0/8", "10.1.2.3", true),
                Arguments.of("10.0.0.0/8", "11.0.0.1", false),
                Arguments.of("192.168.1.0/24", "192.168.1.255", true),
                Arguments.of("192.168.1.0/24", "192.168.2.0", false),
                Arguments.of("172.16.0.0/12", "172.31.255.255", true),
                Arguments.of("172.16.0.0/12", "172.32.0.0", false),
                Arguments.of("0.0.0.0/0", "8.8.8.8", true),
                Arguments.of("203.0.113.7", "203.0.113.7", true),
                Arguments.of("203.0.113.7", "203.0.113.8", false),
                Arguments.of("2001:db8::/32", "2001:db8:1234::1", true),
                Arguments.of("2001:db8::/32", "2001:db9::1", false),
                Arguments.of("::1", "::1", true),
                Arguments.of("::/0", "fe80::1", true),
                Arguments.of("2001:db8:0:0:0:0:0:1", "2001:db8::1", true),
                Arguments.of("fd00::/8", "fdff:ffff::1", true),
                // families differ: never a match
                Arguments.of("10.0.0.0/8", "::1", false),
                Arguments.of("::/0", "10.0.0.1", false),
                // IPv4-mapped IPv6 networks contain the IPv4 addresses they map
                Arguments.of("::ffff:10.0.0.0/104", "10.9.9.9", true),
                Arguments.of("::ffff:10.0.0.0/104", "11.9.9.9", false),
                Arguments.of("::ffff:0:0/96", "192.0.2.1", true),
                Arguments.of("::/64", "192.0.2.1", false));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @MethodSource("contains")
    void containsAddress(String cidr, String address, boolean expected) {
        assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(expected);
    }

    @Test
    void containsNothingForNull() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(null)).isFalse();
    }

    @Test
    void mappedIpv6AddressIsInIpv4Network() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(Cidr.parse("10.0.0.0/8").contains(address)).isTrue();
    }

    static Stream<Arguments> canonical() {
        return Stream.of(
                Arguments.of("10.0.0.0/8", "10.0.0.0/8"),
                Arguments.of("203.0.113.7", "203.0.113.7/32"),
                Arguments.of("2001:db8::/32", "2001:db8:0:0:0:0:0:0/32"),
                Arguments.of("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"),
                Arguments.of("::", "0:0:0:0:0:0:0:0/128"));
    }

    @ParameterizedTest
    @MethodSource("canonical")
    void toStringIsCanonical(String text, String expected) {
        assertThat(Cidr.parse(text)).hasToString(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(null, "network is empty"),
                Arguments.of("", "network is empty"),
                Arguments.of("/8", "address is empty"),
                Arguments.of("localhost", "'localhost' is not an IP address (host names are not allowed)"),
                Arguments.of("example.com/8", "'example.com' is not an IP address (host names are not allowed)"),
                Arguments.of("10.0.0", "'10.0.0' is not an IP address (host names are not allowed)"),
                Arguments.of("256.0.0.0", "'256.0.0.0' is not an IP address (host names are not allowed)"),
                Arguments.of("010.0.0.0", "'010.0.0.0' is not an IP address (host names are not allowed)"),
                Arguments.of("10.0.0.0/", "prefix length '' is not a number"),
                Arguments.of("10.0.0.0/x", "prefix length 'x' is not a number"),
                Arguments.of("10.0.0.0/-1", "prefix length '-1' is not a number"),
                Arguments.of("10.0.0.0/8/8", "prefix length '8/8' is not a number"),
                Arguments.of("10.0.0.0/33", "prefix length 33 exceeds 32 bits"),
                Arguments.of("2001:db8::/129", "prefix length 129 exceeds 128 bits"),
                Arguments.of("10.1.0.0/8", "host bits are set; did you mean 10.0.0.0/8?"),
                Arguments.of("2001:db8::1/32", "host bits are set; did you mean 2001:db8:0:0:0:0:0:0/32?"),
                Arguments.of("fe80::1%eth0", "zone ids are not allowed in 'fe80::1%eth0'"),
                Arguments.of("2001:db8:::1", "'2001:db8:::1' is not a valid IPv6 address"),
                Arguments.of("1::2::3", "'1::2::3' is not a valid IPv6 address"),
                Arguments.of("1:2:3:4:5:6:7", "'1:2:3:4:5:6:7' is not a valid IPv6 address"),
                Arguments.of("1:2:3:4:5:6:7:8:9", "'1:2:3:4:5:6:7:8:9' is not a valid IPv6 address"),
                Arguments.of("1:2:3:4::5:6:7:8", "'1:2:3:4::5:6:7:8' is not a valid IPv6 address"),
                Arguments.of(":1:2:3:4:5:6:7", "':1:2:3:4:5:6:7' is not a valid IPv6 address"),
                Arguments.of("12345::", "'12345::' is not a valid IPv6 address"),
                Arguments.of("g::1", "'g::1' is not a valid IPv6 address"),
                Arguments.of("::1.2.3", "'::1.2.3' is not a valid IPv6 address"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void parseWhenInvalidThenMessage(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void addressWhenLiteralThenParsedWithoutResolverAndWhenNameThenRefused() {
        assertThat(Cidr.address("192.0.2.1").getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(Cidr.address("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThatThrownBy(() -> Cidr.address("dead.beef")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'dead.beef' is not an IP address (host names are not allowed)");
        assertThatThrownBy(() -> Cidr.address("127.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.address("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.address("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.address("10.0.0.0/8")).isInstanceOf(IllegalArgumentException.class);
    }
}
