package io.atelier.platform.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One more instance of the service under test, from its packaged jar ({@code target/quarkus-app}), as a
 * child process on free loopback ports with the given settings: for tests of what spans instances (a
 * change made through one reaching clients of the other). Started by a test resource next to the
 * {@code @QuarkusIntegrationTest}'s own instance, with the same settings; ready when its management
 * interface answers {@code /q/health/ready}. Its output goes to {@code target/<name>.log}.
 */
public final class PackagedInstance implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedInstance(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param name     names the log file
     * @param settings Quarkus/MicroProfile settings, passed as system properties
     */
    public static PackagedInstance start(String name, Map<String, String> settings) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged application at " + jar + " (run it as an *IT, after package)");
        }
        int port = Loopback.freePort();
        int management = Loopback.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + management);
        command.add("-jar");
        command.add(jar.toString());
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            PackagedInstance instance = new PackagedInstance(process, port, log);
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                URI ready = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
                await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .failFast("instance exited; see " + log, () -> !process.isAlive())
                        .until(() -> http.send(HttpRequest.newBuilder(ready).GET().build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            } catch (RuntimeException e) {
                instance.close();
                throw e;
            }
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>} of this instance. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill would: no shutdown hooks run. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
