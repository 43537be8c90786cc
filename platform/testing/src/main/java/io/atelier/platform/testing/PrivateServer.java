package io.atelier.platform.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
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
 * A server of a test's own, run as a child process, for tests that stop, freeze or restart it: never the
 * shared server of {@code ./atelier}, which other tests and engineers are using. What every such server
 * needs lives here; a subclass says how to prepare, launch and recognise its own kind
 * ({@link PrivateRedis}, {@link PrivateKafka}).
 *
 * <p>Each server gets a temporary directory {@code <java.io.tmpdir>/atelier-private-<kind>/<kind>-*}
 * holding the owning JVM's pid ({@code owner.pid}), the server's pid ({@code <kind>.pid}), its output
 * ({@code <kind>.out}) and whatever data it keeps. The server runs in that directory and is stopped by its
 * pid. A test JVM killed with {@code kill -9} cannot stop its servers; the next launch of the same kind on
 * this machine stops those whose owner is gone (recognised by their working directory, which a recycled
 * pid would not share) and deletes their directories, so they do not pile up.
 *
 * <p>As a Quarkus test resource it starts after {@link RealServers}, returns the settings that point the
 * app at itself, and injects itself into the test's fields carrying its marker annotation.
 */
public abstract class PrivateServer implements QuarkusTestResourceLifecycleManager, AutoCloseable {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);
    private static final Duration GRACEFUL_EXIT_WITHIN = Duration.ofSeconds(30);

    private final String kind;
    private final Class<? extends Annotation> marker;
    private final Duration readyWithin;

    private int port;
    private Path dir;
    private Process process;
    private Thread cleanupAtExit;

    /**
     * @param kind        short name of the server: names its directories and files ({@code redis}, {@code kafka})
     * @param marker      the annotation of test fields that receive this server
     * @param readyWithin how long a start may take before it counts as failed
     */
    protected PrivateServer(String kind, Class<? extends Annotation> marker, Duration readyWithin) {
        this.kind = kind;
        this.marker = marker;
        this.readyWithin = readyWithin;
    }

    /**
     * Once, in a fresh directory, after {@link #port()} is drawn and before the first start: write config,
     * initialise storage. Nothing by default.
     */
    protected void prepare(Path dir) throws IOException {
    }

    /** The command that runs the server in the foreground (it runs in {@code dir}). */
    protected abstract List<String> command(Path dir);

    /** Whether the (live) server serves; polled after each start. */
    protected abstract boolean ready(Path dir);

    /** The settings that point a Quarkus app at this server. */
    protected abstract Map<String, String> config();

    /** Files in the server's directory whose last lines explain a failed start; its output by default. */
    protected List<String> logs() {
        return List.of(output());
    }

    /** Starts {@code server} for use outside Quarkus tests; the caller closes it. */
    protected static <S extends PrivateServer> S launched(S server) {
        ((PrivateServer) server).begin(); // private members are not reached through a type variable
        return server;
    }

    @Override
    public Map<String, String> start() {
        begin();
        return config();
    }

    /**
     * Starts after {@link RealServers} and other resources of the default order 0: with both declared
     * (a global RealServers, this one on the outage test), this server's settings win.
     */
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(marker, getClass()));
    }

    @Override
    public void stop() {
        close();
    }

    /** The loopback port the server serves on, drawn once: a restart comes back on it. */
    public int port() {
        return port;
    }

    /** The server's pid while it runs. */
    public long pid() {
        return process.pid();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (SIGKILL, as a crash would) and waits until it is gone. */
    public void kill() {
        if (running()) {
            process.destroyForcibly();
            waitForExit(EXIT_WITHIN);
        }
    }

    /** Asks the server to shut down (SIGTERM, as an orderly stop would) and waits until it is gone. */
    public void terminate() {
        if (running()) {
            process.destroy();
            waitForExit(GRACEFUL_EXIT_WITHIN);
        }
    }

    /**
     * Kills the server if it runs, starts it again on the same port(s) in the same directory, and waits
     * until it serves. What it still holds then is up to the server and its settings.
     */
    public void restart() {
        kill();
        startProcess();
    }

    /** Stops the process without closing its ports (SIGSTOP): clients connect, send, and get no answer. */
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
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "atelier-private-" + kind);
        try {
            Files.createDirectories(home);
            reapLeftovers(home);
            dir = Files.createTempDirectory(home, kind + "-");
            Files.writeString(dir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cleanupAtExit = new Thread(this::kill, "private-" + kind + "-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupAtExit);
        try {
            port = Loopback.freePort();
            prepare(dir);
            startProcess();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close(); // the failure message carries the logs' tails; a resource that failed to start is not stopped
            throw e;
        }
    }

    private void startProcess() {
        List<String> command = command(dir);
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(output()).toFile()).start();
            Files.writeString(dir.resolve(kind + ".pid"), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        await().atMost(readyWithin).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + ":\n" + tails(dir, logs()));
            }
            return ready(dir);
        });
    }

    private String output() {
        return kind + ".out";
    }

    private void waitForExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(this + " (pid " + process.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the " + this, e);
        }
    }

    private void signal(String signal) {
        if (!running()) {
            throw new IllegalStateException("the " + this + " is not running");
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
            throw new IllegalStateException("interrupted while signalling the " + this, e);
        }
    }

    /** Servers left by test JVMs that died without stopping them: their owner is gone, so nobody uses them. */
    private void reapLeftovers(Path home) throws IOException {
        try (Stream<Path> dirs = Files.list(home)) {
            for (Path leftover : dirs.filter(Files::isDirectory).toList()) {
                Optional<Long> owner = readPid(leftover.resolve("owner.pid"));
                if (owner.isEmpty() || ProcessHandle.of(owner.get()).filter(ProcessHandle::isAlive).isPresent()) {
                    continue; // still owned (or being created): not ours to touch
                }
                readPid(leftover.resolve(kind + ".pid")).flatMap(ProcessHandle::of)
                        .filter(server -> runsIn(server, leftover))
                        .ifPresent(server -> {
                            server.destroyForcibly();
                            server.onExit().orTimeout(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS).join();
                        });
                deleteTree(leftover);
            }
        }
    }

    /**
     * A server may rewrite its command line (Redis does); its working directory is what tells our server
     * from a recycled pid.
     */
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

    /** The last lines of each of {@code files} in {@code dir} (those that exist), for failure messages. */
    protected static String tails(Path dir, List<String> files) {
        StringBuilder tails = new StringBuilder();
        for (String file : files) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
                tails.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()))).append('\n');
            } catch (IOException e) {
                // not written (yet): nothing to show
            }
        }
        return tails.toString();
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
