package io.atelier.platform.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker of a test's own, for tests that kill or restart the broker: never the shared one of
 * {@code ./atelier}, which other tests and engineers are using. A single KRaft node (broker and
 * controller) as a child JVM, run from the broker jars the launcher fetched into
 * {@code <ATELIER_HOME>/kafka/libs} with the launcher's own {@code deploy/local/kafka/server.properties},
 * on two free loopback ports, its data in a temporary directory (the process plumbing is
 * {@link PrivateServer}'s). Like a real broker it keeps its data: after {@link #kill()} and
 * {@link #restart()} it serves the same topics and records on the same port.
 *
 * <p>As a Quarkus test resource it points the app at itself ({@code kafka.bootstrap.servers}) and injects
 * itself into fields annotated {@link InjectPrivateKafka}:
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(PrivateKafka.class)
 * class BrokerOutageTest {
 *     &#64;InjectPrivateKafka
 *     PrivateKafka broker;
 *     ... broker.kill(); ... broker.restart(); ... KafkaTopicReader.fromBeginning(broker.bootstrapServers(), topic)
 * }
 * </pre>
 * It may be declared beside {@link RealServers}: it starts last, so the app talks to this broker.
 * Outside Quarkus: {@code try (PrivateKafka broker = PrivateKafka.launch()) { ... }}.
 */
public class PrivateKafka extends PrivateServer {

    /** What the broker logs once it serves (the launcher waits for the same line). */
    private static final String STARTED = "Kafka Server started";
    private static final Duration FORMAT_WITHIN = Duration.ofSeconds(60);
    /**
     * After a kill the restarted controller still holds the dead broker's registration and refuses the new
     * one until that session expires: 9 s by default, 3 s here, so a restart takes seconds less.
     */
    private static final String QUICK_REREGISTRATION = """

            # PrivateKafka: a killed broker may register again after 3 s (default 9 s)
            broker.heartbeat.interval.ms=500
            broker.session.timeout.ms=3000
            """;

    private Path libs;
    private int controllerPort;

    public PrivateKafka() {
        super("kafka", InjectPrivateKafka.class, Duration.ofSeconds(60));
    }

    /** Starts a private broker (for use outside Quarkus tests); close it when done. */
    public static PrivateKafka launch() {
        return launched(new PrivateKafka());
    }

    /** The KRaft controller's port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    /** Writes the launcher's broker config with this broker's ports and data, and formats the storage once. */
    @Override
    protected void prepare(Path dir) throws IOException {
        LocalSuite suite = LocalSuite.find();
        libs = suite.home().resolve("kafka").resolve("libs");
        if (!fetched(libs)) {
            throw new IllegalStateException("no Kafka broker jars in " + libs + "; ./atelier infra up fetches them");
        }
        do {
            controllerPort = Loopback.freePort();
        } while (controllerPort == port()); // the client port is free again until the broker binds it
        String template = Files.readString(suite.root().resolve("deploy/local/kafka/server.properties"), StandardCharsets.UTF_8);
        Files.writeString(conf(dir), template.replace("@PORT@", Integer.toString(port()))
                .replace("@CONTROLLER_PORT@", Integer.toString(controllerPort))
                .replace("@DATA@", dir.resolve("data").toString()) + QUICK_REREGISTRATION, StandardCharsets.UTF_8);
        format(dir);
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-Dorg.slf4j.simpleLogger.log.kafka=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp", classPath(), "kafka.Kafka", conf(dir).toString());
    }

    @Override
    protected boolean ready(Path dir) {
        return logged(dir.resolve("kafka.out"), STARTED) && Loopback.accepts(port(), Duration.ofMillis(200));
    }

    @Override
    public String toString() {
        return "private Kafka broker on port " + port();
    }

    /**
     * {@code kafka-storage format} with a new cluster id: drawn here rather than by the storage tool, which
     * saves a JVM start. An id starting with '-' would break the tool's argument parser: draw again.
     */
    private void format(Path dir) throws IOException {
        String clusterId;
        do {
            clusterId = Uuid.randomUuid().toString();
        } while (clusterId.startsWith("-"));
        File log = dir.resolve("format.log").toFile();
        Process format = new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath(),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", conf(dir).toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            if (!format.waitFor(FORMAT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the private Kafka broker's storage took over " + FORMAT_WITHIN);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the private Kafka broker's storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("formatting the private Kafka broker's storage failed with "
                    + format.exitValue() + ":\n" + tails(dir, List.of("format.log")));
        }
    }

    private String classPath() {
        return libs.resolve("*").toString(); // the java launcher expands the wildcard, as in kafka.sh
    }

    private static Path conf(Path dir) {
        return dir.resolve("server.properties");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The launcher marks a complete download with {@code .version-<version>}. */
    private static boolean fetched(Path libs) throws IOException {
        if (!Files.isDirectory(libs)) {
            return false;
        }
        try (Stream<Path> files = Files.list(libs)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(".version-"));
        }
    }

    private static boolean logged(Path log, String line) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1).contains(line); // any bytes decode
        } catch (IOException e) {
            return false;
        }
    }
}
