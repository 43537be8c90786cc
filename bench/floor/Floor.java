package floor;

import static lib.Latencies.msOfMicros;
import static lib.Latencies.nowMicros;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import lib.CpuTicks;
import lib.WebSockets;

/**
 * The floor of a WebSocket broadcast on this machine: what the fastest fan-out can do with no framework, no
 * authentication, no JSON encoding per message, no pipeline before it. A plain NIO server writes one
 * pre-encoded text frame to every socket from LOOPS selector threads (one per core, as the services' event
 * loops), and the same client the service benchmarks use (bench/lib/WebSockets.java, two selector threads)
 * measures, per delivery, the time from the moment the server started the broadcast (the frame carries it)
 * to the read that handed the message over. Both sides share the machine's wall clock.
 *
 * <p>What the figures mean: content-service's "first to last socket" and workspace-service's fan-out are
 * this same work plus what the service adds, so the gap between them and this floor is all that any code
 * in the services could ever win; the rest is the kernel's loopback TCP (on loopback the sender's write
 * also runs the receiver's side) and the client on the same two cores.
 *
 * <p>Usage: {@code java bench/floor/Floor.java serve PORT LOOPS CLIENTS RATE SECONDS WARMUP BYTES} (broadcasts
 * once CLIENTS sockets are in, then exits), and {@code java bench/floor/Floor.java measure URL CLIENTS RATE
 * SECONDS WARMUP} (prints {@code floor key=value ...}, times in ms; env WATCH as in {@link CpuTicks}).
 */
public class Floor {

    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final int CLIENT_SELECTORS = 2;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]));
            case "measure" -> measure(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("serve or measure, not " + args[0]);
        }
    }

    // ---------------------------------------------------------------- server

    static void serve(int port, int loopCount, int clients, int rate, int seconds, int warmup, int bytes)
            throws Exception {
        ServerLoop[] loops = new ServerLoop[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = new ServerLoop("floor-loop-" + i);
        }
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
            Thread acceptor = Thread.ofPlatform().daemon().name("floor-accept").start(() -> {
                while (true) {
                    try {
                        SocketChannel channel = server.accept();
                        if (handshake(channel)) {
                            loops[accepted.getAndIncrement() % loopCount].add(channel);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (accepted.get() < clients && System.nanoTime() < waitUntil) {
                Thread.sleep(50);
            }
            Thread.sleep(2000); // the client counts its sockets; nothing is sent before it listens
            int total = rate * (warmup + seconds);
            String padding = "x".repeat(Math.max(0, bytes - 60));
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (int n = 0; n < total; n++) {
                long due = start + n * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                ByteBuffer frame = textFrame("{\"n\":" + n + ",\"t\":" + nowMicros() + ",\"pad\":\"" + padding + "\"}");
                for (ServerLoop loop : loops) {
                    loop.broadcast(frame);
                }
            }
            Thread.sleep(5000);
            acceptor.interrupt();
        }
        System.exit(0);
    }

    /** Reads the upgrade request (blocking, at most 8 KiB) and answers 101; then the channel is non-blocking. */
    static boolean handshake(SocketChannel channel) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(8192);
        String text = "";
        while (!text.contains("\r\n\r\n")) {
            if (!request.hasRemaining() || channel.read(request) < 0) {
                channel.close();
                return false;
            }
            text = new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1);
        }
        String key = null;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        if (key == null) {
            channel.write(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1)));
            channel.close();
            return false;
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer answer = ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        while (answer.hasRemaining()) {
            channel.write(answer);
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return true;
    }

    static ByteBuffer textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocateDirect(header + payload.length);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) payload.length);
        } else if (payload.length < 65536) {
            frame.put((byte) 126).putShort((short) payload.length);
        } else {
            frame.put((byte) 127).putLong(payload.length);
        }
        return frame.put(payload).flip().asReadOnlyBuffer();
    }

    /** One selector thread: its sockets, each broadcast written to all of them in one go; what a socket's buffer refused waits for OP_WRITE. */
    static final class ServerLoop {
        final Selector selector;
        final ConcurrentLinkedQueue<SocketChannel> added = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ByteBuffer> frames = new ConcurrentLinkedQueue<>();
        final List<SelectionKey> keys = new ArrayList<>();
        final Map<SelectionKey, ArrayDeque<ByteBuffer>> pending = new HashMap<>();
        final ByteBuffer discard = ByteBuffer.allocateDirect(4096);

        ServerLoop(String name) throws IOException {
            selector = Selector.open();
            Thread.ofPlatform().daemon().name(name).start(this::run);
        }

        void add(SocketChannel channel) {
            added.add(channel);
            selector.wakeup();
        }

        void broadcast(ByteBuffer frame) {
            frames.add(frame);
            selector.wakeup();
        }

        private void run() {
            try {
                while (true) {
                    selector.select();
                    SocketChannel channel;
                    while ((channel = added.poll()) != null) {
                        keys.add(channel.register(selector, SelectionKey.OP_READ));
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.isValid() && key.isReadable()) {
                            read(key);
                        }
                        if (key.isValid() && key.isWritable()) {
                            flush(key);
                        }
                    }
                    selector.selectedKeys().clear();
                    ByteBuffer frame;
                    while ((frame = frames.poll()) != null) {
                        for (SelectionKey key : keys) {
                            write(key, frame.duplicate());
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void read(SelectionKey key) {
            try {
                discard.clear();
                if (((SocketChannel) key.channel()).read(discard) < 0) {
                    close(key);
                }
            } catch (IOException e) {
                close(key);
            }
        }

        private void write(SelectionKey key, ByteBuffer frame) {
            if (!key.isValid()) {
                return;
            }
            ArrayDeque<ByteBuffer> waiting = pending.get(key);
            if (waiting != null) {
                waiting.add(frame);
                return;
            }
            try {
                ((SocketChannel) key.channel()).write(frame);
                if (frame.hasRemaining()) {
                    ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
                    queue.add(frame);
                    pending.put(key, queue);
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                close(key);
            }
        }

        private void flush(SelectionKey key) {
            ArrayDeque<ByteBuffer> waiting = pending.get(key);
            try {
                while (waiting != null && !waiting.isEmpty()) {
                    ((SocketChannel) key.channel()).write(waiting.peek());
                    if (waiting.peek().hasRemaining()) {
                        return;
                    }
                    waiting.poll();
                }
                pending.remove(key);
                key.interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
                close(key);
            }
        }

        private void close(SelectionKey key) {
            key.cancel();
            pending.remove(key);
            keys.remove(key);
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ---------------------------------------------------------------- client

    static void measure(URI uri, int clients, int rate, int seconds, int warmup) throws Exception {
        int total = rate * (warmup + seconds);
        int warm = rate * warmup;
        WebSockets.Loop[] loops = new WebSockets.Loop[CLIENT_SELECTORS];
        for (int i = 0; i < CLIENT_SELECTORS; i++) {
            loops[i] = new WebSockets.Loop("floor-client-" + i);
        }
        Client[] sockets = new Client[clients];
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(clients);
        ExecutorService handshakes = Executors.newFixedThreadPool(32);
        for (int i = 0; i < clients; i++) {
            Client client = new Client(total);
            sockets[i] = client;
            WebSockets.Loop loop = loops[i % CLIENT_SELECTORS];
            handshakes.execute(() -> {
                try {
                    client.socket.handshake(uri, Map.of());
                    loop.register(client.socket);
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    connected.countDown();
                }
            });
        }
        connected.await(180, TimeUnit.SECONDS);
        handshakes.shutdownNow();

        // The server starts 2 s after the last socket is in; measure CPU over the measured broadcasts only.
        long firstMeasured = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000) + TimeUnit.SECONDS.toNanos(warmup);
        while (System.nanoTime() < firstMeasured) {
            Thread.sleep(20);
        }
        Map<String, Long> watchedBefore = CpuTicks.watched();
        long[] machineBefore = CpuTicks.machine();
        long wallBefore = System.nanoTime();
        long deadline = wallBefore + TimeUnit.SECONDS.toNanos(seconds + 15L);
        while (System.nanoTime() < deadline && !allDelivered(sockets, total)) {
            Thread.sleep(20);
        }
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        Map<String, Long> watchedAfter = CpuTicks.watched();
        long[] machineAfter = CpuTicks.machine();

        long[] latencies = new long[clients * (total - warm)];
        long[] first = new long[total];
        long[] last = new long[total];
        Arrays.fill(first, Long.MAX_VALUE);
        int count = 0;
        long delivered = 0;
        for (Client client : sockets) {
            synchronized (client) {
                for (int k = 0; k < client.count; k++) {
                    int n = client.seq[k];
                    delivered++;
                    long latency = client.received[k] - client.sent[k];
                    if (n >= warm && count < latencies.length) {
                        latencies[count++] = latency;
                        first[n] = Math.min(first[n], client.received[k]);
                        last[n] = Math.max(last[n], client.received[k]);
                    }
                }
            }
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        long[] spread = new long[total - warm];
        int frames = 0;
        for (int n = warm; n < total; n++) {
            if (first[n] != Long.MAX_VALUE) {
                spread[frames++] = last[n] - first[n];
            }
        }
        long[] spreads = Arrays.copyOf(spread, frames);
        Arrays.sort(spreads);
        StringBuilder cpu = new StringBuilder();
        for (var e : watchedAfter.entrySet()) {
            cpu.append(String.format(" cpu_%s=%.2f", e.getKey(),
                    (e.getValue() - watchedBefore.getOrDefault(e.getKey(), 0L)) / 100.0 / Math.min(wall, seconds)));
        }
        long allTicks = machineAfter[0] - machineBefore[0];
        cpu.append(String.format(" machine_busy_pct=%.0f", 100.0 * (machineAfter[1] - machineBefore[1]) / Math.max(1, allTicks)));
        System.out.printf("floor clients=%d connected=%d rate=%d seconds=%d warmup_s=%d expected=%d delivered=%d "
                + "p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f spread_p50=%.2f spread_p99=%.2f%s%n",
                clients, clients - failed.get(), rate, seconds, warmup, (long) clients * total, delivered,
                msOfMicros(sorted, 50), msOfMicros(sorted, 90), msOfMicros(sorted, 99), msOfMicros(sorted, 99.9), msOfMicros(sorted, 100),
                msOfMicros(spreads, 50), msOfMicros(spreads, 99), cpu);
        System.exit(0);
    }

    static boolean allDelivered(Client[] sockets, int total) {
        for (Client client : sockets) {
            if (client.delivered() < total && client.socket.isOpen()) {
                return false;
            }
        }
        return true;
    }



    /** One socket: per broadcast, its number, when the server started it and when it was read here. */
    static final class Client implements WebSockets.Handler {
        final WebSockets.Socket socket = new WebSockets.Socket(this);
        final int[] seq;
        final long[] sent;
        final long[] received;
        int count;
        private volatile int deliveredCount;

        Client(int total) {
            seq = new int[total];
            sent = new long[total];
            received = new long[total];
        }

        int delivered() {
            return deliveredCount;
        }

        @Override
        public synchronized void text(WebSockets.Socket s, byte[] a, int from, int length, long nanos) {
            long now = nowMicros();
            if (count == seq.length) {
                return;
            }
            // {"n":N,"t":MICROS,...}
            int i = from + 5;
            int n = 0;
            while (a[i] != ',') {
                n = n * 10 + (a[i++] - '0');
            }
            i += 5;
            long t = 0;
            while (a[i] != ',') {
                t = t * 10 + (a[i++] - '0');
            }
            seq[count] = n;
            sent[count] = t;
            received[count] = now;
            count++;
            deliveredCount = count;
        }
    }
}
