package io.atelier.e2e.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The committed deploy/gateway/nginx.conf, run by the real nginx with only its ports (and the
 * upstream read timeout, so a 504 takes seconds) changed for the test.
 */
final class GatewayUnderTest implements AutoCloseable {

    static final Map<String, Integer> SERVICE_PORTS = Map.of(
            "auth-service", 8081, "content-service", 8082, "workspace-service", 8083,
            "job-worker", 8084, "pipeline-ingest", 8085);

    private final Process nginx;
    private final Path prefix;
    final int port;

    private GatewayUnderTest(Process nginx, Path prefix, int port) {
        this.nginx = nginx;
        this.prefix = prefix;
        this.port = port;
    }

    static GatewayUnderTest start(Path repoRoot, Map<String, Integer> upstreamPorts) throws IOException {
        String config = Files.readString(repoRoot.resolve("deploy/gateway/nginx.conf"));
        int port = FakeUpstreams.closedPort();
        config = replaceOnce(config, "listen 8080;", "listen 127.0.0.1:" + port + ";");
        config = replaceOnce(config, "proxy_read_timeout 30s;", "proxy_read_timeout 2s;");
        for (var service : SERVICE_PORTS.entrySet()) {
            config = replaceOnce(config, "127.0.0.1:" + service.getValue() + ";",
                    "127.0.0.1:" + upstreamPorts.get(service.getKey()) + ";");
        }
        Path prefix = Files.createTempDirectory("atelier-gateway-test");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        prefix.toFile().setExecutable(true, false); // nginx workers run as another user when we are root
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        Process nginx = new ProcessBuilder(nginxBinary(), "-p", prefix + "/", "-c", conf.toString(),
                "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        GatewayUnderTest gateway = new GatewayUnderTest(nginx, prefix, port);
        gateway.awaitListening();
        return gateway;
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new IllegalStateException("nginx.conf must contain '" + target + "' exactly once");
        }
        return text.replace(target, replacement);
    }

    private static String nginxBinary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nginx is not installed; ./atelier test installs it");
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!nginx.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    @Override
    public void close() {
        nginx.destroy();
        try {
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            try (var files = Files.walk(prefix)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
