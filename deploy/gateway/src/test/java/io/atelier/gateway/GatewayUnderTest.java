package io.atelier.gateway;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.atelier.platform.testing.Loopback;

/**
 * The committed gateway config, rendered by {@code deploy/gateway/render.sh} exactly as the
 * launcher renders it, and run by the real nginx on a free port of 127.0.0.1. Only settings
 * render.sh offers change: the ports, the listen address and a 2 s upstream read timeout (so a 504
 * takes seconds), plus whatever a test passes.
 */
final class GatewayUnderTest implements AutoCloseable {

    /** The services the gateway routes to (their names in deploy/local/services). */
    static final List<String> SERVICES = List.of(
            "auth-service", "content-service", "workspace-service", "job-worker", "pipeline-ingest");

    private final Process nginx;
    private final Path prefix;
    final int port;

    private GatewayUnderTest(Process nginx, Path prefix, int port) {
        this.nginx = nginx;
        this.prefix = prefix;
        this.port = port;
    }

    static GatewayUnderTest start(Path repoRoot, Map<String, Integer> upstreamPorts) throws IOException {
        return start(repoRoot, upstreamPorts, Map.of());
    }

    /**
     * @param settings more render.sh settings, e.g. {@code ATELIER_GATEWAY_TRUSTED_PROXIES}
     */
    static GatewayUnderTest start(Path repoRoot, Map<String, Integer> upstreamPorts, Map<String, String> settings)
            throws IOException {
        int port = Loopback.freePort();
        Path prefix = Files.createTempDirectory("atelier-gateway-test");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        prefix.toFile().setExecutable(true, false); // nginx workers run as another user when we are root
        Path conf = prefix.resolve("nginx.conf");

        Map<String, String> env = new HashMap<>();
        env.put("ATELIER_GATEWAY_PORT", Integer.toString(port));
        env.put("ATELIER_GATEWAY_LISTEN_ADDRESS", "127.0.0.1");
        env.put("ATELIER_GATEWAY_READ_TIMEOUT", "2s");
        env.put("ATELIER_GATEWAY_TRUSTED_PROXIES", "");
        for (String service : SERVICES) {
            Integer upstream = upstreamPorts.get(service);
            if (upstream == null) {
                // Its port from deploy/local/services could be a real service of a running suite.
                throw new IllegalArgumentException("no stand-in port for " + service);
            }
            env.put(portVariable(service), upstream.toString());
        }
        env.putAll(settings);
        renderOrFail(repoRoot, conf, env);

        Process nginx = new ProcessBuilder(nginxBinary(), "-p", prefix + "/", "-c", conf.toString(),
                "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        GatewayUnderTest gateway = new GatewayUnderTest(nginx, prefix, port);
        gateway.awaitListening();
        return gateway;
    }

    /** The variable that overrides a service's port: auth-service -> ATELIER_PORT_AUTH_SERVICE. */
    static String portVariable(String service) {
        return "ATELIER_PORT_" + service.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Runs deploy/gateway/render.sh into {@code out} with {@code env} on top of this JVM's environment,
     * minus any gateway or port settings the test run happened to inherit.
     */
    static RenderResult render(Path repoRoot, Path out, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", repoRoot.resolve("deploy/gateway/render.sh").toString(),
                out.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("ATELIER_GATEWAY_") || k.startsWith("ATELIER_PORT_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("render.sh took over 30 s");
            }
            return new RenderResult(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering the gateway config", e);
        }
    }

    private static void renderOrFail(Path repoRoot, Path out, Map<String, String> env) throws IOException {
        RenderResult result = render(repoRoot, out, env);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("render.sh failed: " + result.output());
        }
    }

    record RenderResult(int exitCode, String output) {
    }

    static String nginxBinary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nginx is not installed; ./atelier test installs it");
    }

    private void awaitListening() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!nginx.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log")));
            }
            return Loopback.accepts(port, Duration.ofMillis(200));
        });
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
        try (var files = Files.walk(prefix)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
