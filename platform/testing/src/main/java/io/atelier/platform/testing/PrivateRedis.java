package io.atelier.platform.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis server of a test's own, for tests that stop, freeze or restart Redis: never the shared one
 * of {@code ./atelier}, which other tests and engineers are using. A {@code redis-server} child process
 * on a free loopback port, with its data and log in a temporary directory, stopped by its pid.
 *
 * <p>As a Quarkus test resource it points the app at itself ({@code quarkus.redis.hosts}) and injects
 * itself into fields annotated {@link InjectPrivateRedis}:
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(PrivateRedis.class)
 * class RedisOutageTest {
 *     &#64;InjectPrivateRedis
 *     PrivateRedis redis;
 *     ... redis.kill(); ... redis.restart(); ... redis.freeze(); ... redis.thaw();
 * }
 * </pre>
 * It may be declared beside {@link RealServers}: it starts last, so the app talks to this server.
 * Outside Quarkus: {@code try (PrivateRedis redis = PrivateRedis.launch()) { ... }}.
 *
 * <p>A test JVM killed with {@code kill -9} cannot stop its server; the next launch on this machine stops
 * servers whose owning JVM is gone (recognised by their directory), so they do not pile up.
 */
public class PrivateRedis implements QuarkusTestResourceLifecycleManager, AutoCloseable {

    private static final Path HOME = Path.of(System.getProperty("java.io.tmpdir"), "atelier-private-redis");
    private static final Duration READY_WITHIN = Duration.ofSeconds(15);

    private Path dir;
    private int port;
    private Process process;
    private Thread cleanupAtExit;

    /** Starts a private server (for use outside Quarkus tests); close it when done. */
    public static PrivateRedis launch() {
        PrivateRedis redis = new PrivateRedis();
        redis.begin();
        return redis;
    }

    @Override
    public Map<String, String> start() {
        begin();
        return Map.of("quarkus.redis.hosts", url());
    }

    /**
     * Starts after {@link RealServers} and other resources of the default order 0: with both declared
     * (a global RealServers, this one on the outage test), this server's {@code quarkus.redis.hosts} wins.
     */
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectPrivateRedis.class, PrivateRedis.class));
    }

    @Override
    public void stop() {
        close();
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's pid while it runs. */
    public long pid() {
        return process.pid();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (SIGKILL, as a crash would) and waits until it is gone; its data is lost. */
    public void kill() {
        if (running()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** Starts the server again on the same port, empty (nothing persists), and waits until it answers. */
    public void restart() {
        kill();
        startProcess();
    }

    /** Stops the process without closing its port (SIGSTOP): clients connect, send, and get no answer. */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a {@link #freeze() frozen} server (SIGCONT); it then answers what it was sent meanwhile. */
    public void thaw() {
        signal("CONT");
    }

    /** Kills the server and deletes its directory. */
    @Override
    public void close() {
        kill();
        if (cleanupAtExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or ran
            }
            cleanupAtExit = null;
        }
        if (dir != null) {
            deleteTree(dir);
            dir = null;
        }
    }

    private void begin() {
        try {
            Files.createDirectories(HOME);
            reapLeftovers();
            dir = Files.createTempDirectory(HOME, "redis-");
            Files.writeString(dir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = freePort();
        cleanupAtExit = new Thread(this::kill, "private-redis-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupAtExit);
        startProcess();
    }

    private void startProcess() {
        List<String> command = List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--protected-mode", "yes", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
            Files.writeString(dir.resolve("redis.pid"), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("private redis-server on port " + port + " exited with "
                        + process.exitValue() + ":\n" + tail(dir.resolve("redis.log")) + tail(dir.resolve("redis.out")));
            }
            return answersPing();
        });
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            InputStream in = socket.getInputStream();
            int read = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("private redis-server (pid " + process.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the private redis-server", e);
        }
    }

    private void signal(String signal) {
        if (!running()) {
            throw new IllegalStateException("the private redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the private redis-server", e);
        }
    }

    /** Servers left by test JVMs that died without stopping them: their owner is gone, so nobody uses them. */
    private static void reapLeftovers() throws IOException {
        try (Stream<Path> dirs = Files.list(HOME)) {
            for (Path leftover : dirs.filter(Files::isDirectory).toList()) {
                Optional<Long> owner = readPid(leftover.resolve("owner.pid"));
                if (owner.isEmpty() || ProcessHandle.of(owner.get()).filter(ProcessHandle::isAlive).isPresent()) {
                    continue; // still owned (or being created): not ours to touch
                }
                readPid(leftover.resolve("redis.pid")).flatMap(ProcessHandle::of)
                        .filter(server -> runsIn(server, leftover))
                        .ifPresent(server -> {
                            server.destroyForcibly();
                            server.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                        });
                deleteTree(leftover);
            }
        }
    }

    /** Redis rewrites its command line; its working directory is what tells our server from a recycled pid. */
    private static boolean runsIn(ProcessHandle process, Path dir) {
        try {
            return Path.of("/proc", Long.toString(process.pid()), "cwd").toRealPath().equals(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String binary() {
        Path debian = Path.of("/usr/bin/redis-server");
        return Files.isExecutable(debian) ? debian.toString() : "redis-server";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory we could not fully delete is harmless
        }
    }
}
