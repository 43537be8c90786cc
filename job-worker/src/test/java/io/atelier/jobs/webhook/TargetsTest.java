package io.atelier.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain JUnit: which addresses a webhook may reach, with names resolved by a table instead of DNS. */
class TargetsTest {

    private static final Map<String, List<String>> NAMES = Map.of(
            "public.example", List.of("93.184.215.14"),
            "internal.example", List.of("10.1.2.3"),
            "mixed.example", List.of("93.184.215.14", "192.168.0.7"),
            "metadata.example", List.of("169.254.169.254"),
            "allowed.example", List.of("10.20.30.40"));

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> addresses = NAMES.get(host);
        if (addresses == null) {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByName(addresses.get(i));
        }
        return resolved;
    }

    private final Targets targets = new Targets(List.of("10.20.0.0/16", "127.0.0.1"), TargetsTest::resolve);

    @Test
    void publicNamesAndAllowedNetworksPass() throws Exception {
        assertThat(targets.check("https://public.example/hook").getHost()).isEqualTo("public.example");
        targets.check("http://allowed.example:8080/x");
        targets.check("http://127.0.0.1:9999/x");
        targets.check("http://93.184.215.14/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://internal.example/", "http://mixed.example/", "http://metadata.example/",
            "http://127.0.0.2/", "http://10.21.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.2]/", "http://224.0.0.1/",
            "http://255.255.255.255/", "http://198.18.0.1/"})
    void namesOrAddressesInRestrictedNetworksAreRefused(String url) {
        assertThatThrownBy(() -> targets.check(url)).isInstanceOf(Targets.TargetRefused.class)
                .hasMessageContaining("private, loopback or link-local");
    }

    @Test
    void theFormCheckLooksUpNoNames() {
        // internal.example resolves to a private address, but only the delivery-time check looks names up.
        assertThat(targets.checkForm("http://internal.example/").getHost()).isEqualTo("internal.example");
        assertThatThrownBy(() -> targets.check("http://nowhere.example/")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void networksMatchByPrefix() {
        Targets.Cidr net = Targets.Cidr.parse("10.20.0.0/16");
        assertThat(net.contains(address("10.20.255.1"))).isTrue();
        assertThat(net.contains(address("10.21.0.1"))).isFalse();
        assertThat(Targets.Cidr.parse("192.168.0.0/23").contains(address("192.168.1.200"))).isTrue();
        assertThat(Targets.Cidr.parse("192.168.0.0/23").contains(address("192.168.2.1"))).isFalse();
        assertThat(Targets.Cidr.parse("fd00::/8").contains(address("fd12::1"))).isTrue();
        assertThat(Targets.Cidr.parse("fd00::/8").contains(address("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> Targets.Cidr.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Targets.Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
