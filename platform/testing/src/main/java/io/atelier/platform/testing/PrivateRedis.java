package io.atelier.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Redis server of a test's own, for tests that stop, freeze or restart Redis: never the shared one
 * of {@code ./atelier}, which other tests and engineers are using. A {@code redis-server} child process
 * on a free loopback port, with its data and log in a temporary directory, stopped by its pid
 * (the process plumbing is {@link PrivateServer}'s). It keeps nothing on disk: after
 * {@link #kill()} and {@link #restart()} it is empty.
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
 */
public class PrivateRedis extends PrivateServer {

    public PrivateRedis() {
        super("redis", InjectPrivateRedis.class, Duration.ofSeconds(15));
    }

    /** Starts a private server (for use outside Quarkus tests); close it when done. */
    public static PrivateRedis launch() {
        return launched(new PrivateRedis());
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("quarkus.redis.hosts", url());
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(binary(), "--port", Integer.toString(port()), "--bind", "127.0.0.1",
                "--protected-mode", "yes", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
    }

    @Override
    protected List<String> logs() {
        return List.of("redis.log", "redis.out");
    }

    @Override
    protected boolean ready(Path dir) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 200);
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

    @Override
    public String toString() {
        return "private redis-server on port " + port();
    }

    private static String binary() {
        Path debian = Path.of("/usr/bin/redis-server");
        return Files.isExecutable(debian) ? debian.toString() : "redis-server";
    }
}
