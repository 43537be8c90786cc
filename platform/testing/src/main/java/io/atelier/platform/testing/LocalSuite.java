package io.atelier.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;


/**
 * The local suite as {@code ./atelier} runs it: where the servers listen, which role each service
 * uses, and how to start or stop one piece. Reads the launcher's own files
 * ({@code deploy/local/defaults.env}, {@code deploy/local/services}, {@code .atelier/secrets}),
 * so tests and launcher never disagree.
 */
public final class LocalSuite {

    private final Path root;
    private final Path state;
    private final Map<String, String> settings;
    private final List<ServiceEntry> services;

    private LocalSuite(Path root) {
        this.root = root;
        this.state = env("ATELIER_HOME").map(Path::of).orElse(root.resolve(".atelier"));
        this.settings = readDefaults(root.resolve("deploy/local/defaults.env"));
        this.services = ServiceEntry.readAll(root.resolve("deploy/local/services"));
    }

    /** Finds the repository root by walking up from the working directory to the {@code atelier} launcher. */
    public static LocalSuite find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isExecutable(dir.resolve("atelier")) && Files.isDirectory(dir.resolve("deploy/local"))) {
                return new LocalSuite(dir);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("not inside the Atelier repository: no ./atelier launcher above "
                + Path.of("").toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /** The launcher's state directory: {@code ATELIER_HOME}, else {@code .atelier} in the root. */
    public Path home() {
        return state;
    }

    public int port(String setting) {
        return Integer.parseInt(settings.get(setting));
    }

    /**
     * The suite's database, with commits that do not wait for the disk: the server is durable for the
     * running suite, tests trade that for speed on their own connections only.
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port("ATELIER_PG_PORT") + "/atelier?options=-c%20synchronous_commit%3Doff";
    }

    public String redisUrl() {
        return "redis://127.0.0.1:" + port("ATELIER_REDIS_PORT");
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + port("ATELIER_KAFKA_PORT");
    }

    public Path secretsDir() {
        return state.resolve("secrets");
    }

    public ServiceEntry service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service '" + name + "' in deploy/local/services"));
    }

    /** The generated password of a service's database role (the launcher writes it on first start). */
    public String databasePassword(String role) {
        Path file = secretsDir().resolve("db").resolve(role);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no password for role '" + role + "' at " + file
                    + "; run ./atelier infra up", e);
        }
    }

    public boolean serversReachable() {
        return reachable(port("ATELIER_PG_PORT")) && reachable(port("ATELIER_REDIS_PORT"))
                && reachable(port("ATELIER_KAFKA_PORT"));
    }

    /** Starts PostgreSQL, Redis and Kafka through the launcher unless they already answer. */
    public void ensureServersRunning() {
        if (!serversReachable()) {
            launcher("infra", "up");
        }
    }

    /** Starts one piece (postgres, redis, kafka, gateway or a service) and waits until it is healthy. */
    public void start(String piece) {
        launcher("start", piece);
    }

    /** Stops one piece by its pid, as {@code ./atelier stop <piece>} does. */
    public void stop(String piece) {
        launcher("stop", piece);
    }

    private void launcher(String... args) {
        var command = new ArrayList<String>();
        command.add(root.resolve("atelier").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("./atelier " + String.join(" ", args) + " took over 5 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("./atelier " + String.join(" ", args) + " failed with exit code "
                        + process.exitValue() + "; see the output above and .atelier/logs/");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ./atelier", e);
        }
    }

    private static boolean reachable(int port) {
        return Loopback.accepts(port, Duration.ofMillis(500));
    }

    private static Map<String, String> readDefaults(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : readLines(file)) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            values.put(key, env(key).orElse(line.substring(eq + 1).strip()));
        }
        return values;
    }

    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
