package io.atelier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.atelier.platform.testing.LocalSuite;

/**
 * deploy/gateway/render.sh: the gateway's ports come from the launcher's files
 * (deploy/local/defaults.env, deploy/local/services) or their environment overrides, and what it
 * renders is a config nginx accepts.
 */
class GatewayTemplateTest {

    private static final LocalSuite SUITE = LocalSuite.find();

    @TempDir
    Path dir;

    private String render(Map<String, String> env) throws IOException {
        Path out = dir.resolve("nginx.conf");
        GatewayUnderTest.RenderResult result = GatewayUnderTest.render(SUITE.root(), out, env);
        assertThat(result.exitCode()).as(result.output()).isZero();
        String config = Files.readString(out);
        assertThat(config).doesNotContainPattern("@[A-Z][A-Z_]*@");
        assertNginxAccepts(out);
        return config;
    }

    private void assertNginxAccepts(Path config) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("temp"));
        Process test = new ProcessBuilder(GatewayUnderTest.nginxBinary(), "-t", "-q", "-p", dir + "/", "-c", config.toString(),
                "-g", "pid " + dir.resolve("nginx.pid") + ";").redirectErrorStream(true).start();
        try {
            String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(test.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(test.exitValue()).as(output).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void portsComeFromTheLaunchersFiles() throws IOException {
        // The files' own values: render() hides any override this test run inherited.
        String gatewayPort = Files.readAllLines(SUITE.root().resolve("deploy/local/defaults.env")).stream()
                .filter(line -> line.startsWith("ATELIER_GATEWAY_PORT=")).findFirst().orElseThrow().split("=", 2)[1].strip();
        String config = render(Map.of());
        assertThat(config).contains("listen " + gatewayPort + ";");
        for (String service : GatewayUnderTest.SERVICES) {
            assertThat(config).contains("server 127.0.0.1:" + SUITE.service(service).port() + ";");
        }
        assertThat(config).contains("proxy_read_timeout 30s;").contains("# real-ip off").doesNotContain("set_real_ip_from");
    }

    @Test
    void environmentOverridesEachPort() throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("ATELIER_GATEWAY_PORT", "18080", "ATELIER_GATEWAY_LISTEN_ADDRESS", "127.0.0.1"));
        int port = 18181;
        for (String service : GatewayUnderTest.SERVICES) {
            env.put(GatewayUnderTest.portVariable(service), Integer.toString(port++));
        }
        String config = render(env);
        assertThat(config).contains("listen 127.0.0.1:18080;");
        for (int p = 18181; p < port; p++) {
            assertThat(config).contains("server 127.0.0.1:" + p + ";");
        }
    }

    @Test
    void trustedProxiesTurnRealIpOn() throws IOException {
        String config = render(Map.of("ATELIER_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7 fd00::/8"));
        for (String proxy : List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8")) {
            assertThat(config).contains("set_real_ip_from " + proxy + ";").contains(proxy + " 1;");
        }
        assertThat(config).contains("real_ip_header X-Forwarded-For;").contains("real_ip_recursive on;");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ATELIER_GATEWAY_PORT              | 80; include /etc/passwd",
            "ATELIER_GATEWAY_PORT              | 70000",
            "ATELIER_PORT_AUTH_SERVICE         | 8081;",
            "ATELIER_GATEWAY_TRUSTED_PROXIES   | 10.0.0.0/8; deny all",
            "ATELIER_GATEWAY_TRUSTED_PROXIES   | 0.0.0.0/0 }",
            "ATELIER_GATEWAY_READ_TIMEOUT      | 30s; return 200",
            "ATELIER_GATEWAY_LISTEN_ADDRESS    | 0.0.0.0 ssl"})
    void refusesSettingsThatAreNotWhatTheySay(String variable, String value) throws IOException {
        Path out = dir.resolve("refused.conf");
        GatewayUnderTest.RenderResult result = GatewayUnderTest.render(SUITE.root(), out, Map.of(variable, value));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains(variable.startsWith("ATELIER_PORT_") ? "auth-service" : variable);
        assertThat(out).doesNotExist();
    }
}
