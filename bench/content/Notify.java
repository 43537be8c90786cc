import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notification latency at a given number of sockets, and (with a hook) what the open sockets cost.
 *
 * <ol>
 * <li>Opens CLIENTS sockets to WS_URL ({@code ?types=post_created}), each with a bearer token from
 * TOKENS_FILE (one per line, used round-robin) in the handshake's {@code Authorization} header, 32
 * handshakes at a time. Waits 2 s and counts sockets the server closed (4401 ...).</li>
 * <li>Runs HOOK (bash -c, env CONNECTED=n) while they are open and idle: the caller measures heap and
 * RSS there.</li>
 * <li>A writer creates posts open loop at RATE per second for SECONDS (POST HTTP_URL/api/v1/posts; each
 * post's title carries this run's tag and its sequence number). Every socket must receive every created
 * post's {@code post_created}.</li>
 * <li>Per delivery, two latencies, both on this machine's one wall clock (the service runs here too):
 * <b>from occurredAt</b>, the service's clock read inside the creating transaction before the insert and
 * the commit (so an upper bound of commit-to-socket by the insert + commit time), to the read() that
 * completed the frame; and <b>from send</b>, the writer's clock just before it sent the POST (an upper
 * bound that also holds the POST's own time). Per post also: the first delivery (the pipeline: outbox
 * relay, Kafka, the Notifier, Redis, the tail) and the spread from the first socket to the last (the
 * fan-out).</li>
 * </ol>
 *
 * <p>The sockets are a minimal RFC 6455 client on NIO (two selector threads; server frames are unmasked,
 * no extensions are offered; pings are answered), not {@code java.net.http.WebSocket}: on this 2-core
 * machine the JDK client took 1.1 cores to take 40,000 messages a second, and that CPU came out of the
 * service's share and into the figures. This one needs a small fraction of that.
 *
 * <p>Usage: java Notify.java WS_URL HTTP_URL TOKENS_FILE CLIENTS RATE SECONDS [HOOK [WARMUP_SECONDS]]. The
 * writer first writes WARMUP_SECONDS of posts that must arrive too but are left out of the latencies and
 * CPU figures. RATE 0: connect, run the hook, close. Prints "notify key=value ..." (times in ms) and a readable block. Env WATCH
 * ("name=pid,pid;name=pid"): CPU of those processes (and their children) over the writer phase.
 */
public class Notify {

    static final int SELECTORS = 2;
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static void main(String[] args) throws Exception {
        URI ws = URI.create(args[0] + (args[0].contains("?") ? "&" : "?") + "types=post_created");
        String http = args[1];
        List<String> tokens = Files.readAllLines(Path.of(args[2])).stream().filter(l -> !l.isBlank()).toList();
        int clients = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        String hook = args.length > 6 && !args[6].isBlank() ? args[6] : null;
        int warmupSeconds = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        String tag = UUID.randomUUID().toString().substring(0, 8);
        int warm = rate * warmupSeconds; // posts written first and left out of the latencies (JIT, first use)
        int posts = warm + rate * seconds;

        // ---- connect ----
        Loop[] loops = new Loop[SELECTORS];
        for (int i = 0; i < SELECTORS; i++) {
            loops[i] = new Loop(i);
            loops[i].thread.start();
        }
        Client[] sockets = new Client[clients];
        AtomicInteger failed = new AtomicInteger();
        Map<String, AtomicInteger> connectErrors = new ConcurrentHashMap<>();
        CountDownLatch connected = new CountDownLatch(clients);
        long connectStart = System.nanoTime();
        ExecutorService handshakes = Executors.newFixedThreadPool(32);
        for (int i = 0; i < clients; i++) {
            Client client = new Client(tag, posts);
            sockets[i] = client;
            String token = tokens.get(i % tokens.size());
            Loop loop = loops[i % SELECTORS];
            handshakes.execute(() -> {
                try {
                    client.handshake(ws, token);
                    loop.register(client);
                } catch (Exception e) {
                    failed.incrementAndGet();
                    connectErrors.computeIfAbsent(e.toString(), k -> new AtomicInteger()).incrementAndGet();
                } finally {
                    connected.countDown();
                }
            });
        }
        if (!connected.await(180, TimeUnit.SECONDS)) {
            System.out.printf("%d handshakes still unanswered after 180 s%n", connected.getCount());
        }
        handshakes.shutdownNow();
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        Thread.sleep(2000); // a handshake with a bad token is accepted and then closed at once (4401)
        int open = countOpen(sockets);
        System.out.printf("connected %d of %d sockets in %.1f s (%d failed: %s); %d still open after 2 s%n",
                clients - failed.get(), clients, connectSeconds, failed.get(), connectErrors, open);
        if (hook != null) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", hook).inheritIO();
            builder.environment().put("CONNECTED", String.valueOf(open));
            builder.start().waitFor();
        }
        if (rate == 0) {
            closeAll(sockets);
            System.out.printf("notify ws=%s clients=%d connected=%d open=%d connect_s=%.1f%n", args[0], clients,
                    clients - failed.get(), open, connectSeconds);
            System.exit(0);
        }

        // ---- write, open loop ----
        HttpClient writer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String writerToken = tokens.getFirst();
        long[] sendMicros = new long[posts];
        long[] answerMicros = new long[posts];
        int[] status = new int[posts];
        CountDownLatch answered = new CountDownLatch(posts);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = 0;
        long wallBefore = 0;
        Map<String, Long> watchedBefore = Map.of();
        long[] machineBefore = null;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < posts; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (i == warm) { // CPU is counted over the measured posts only
                cpuBefore = os.getProcessCpuTime();
                wallBefore = System.nanoTime();
                watchedBefore = watchedTicks();
                machineBefore = machineTicks();
            }
            int seq = i;
            HttpRequest request = HttpRequest.newBuilder(URI.create(http + "/api/v1/posts"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + writerToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"nb" + tag + "-" + seq
                            + "\",\"body\":\"Notification benchmark post " + seq + ".\"}"))
                    .build();
            sendMicros[seq] = nowMicros();
            writer.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                answerMicros[seq] = nowMicros();
                status[seq] = error == null ? response.statusCode() : -1;
                answered.countDown();
            });
        }
        answered.await(60, TimeUnit.SECONDS);
        int created = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int s : status) {
            statuses.merge(s, 1, Integer::sum);
            if (s == 201) {
                created++;
            }
        }
        // Everything delivered, or 60 s after the last answer.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !allDelivered(sockets, created)) {
            Thread.sleep(20);
        }
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double clientCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9 / wall;
        Map<String, Long> watchedAfter = watchedTicks();
        long[] machineAfter = machineTicks();
        StringBuilder cpu = new StringBuilder();
        for (var e : watchedAfter.entrySet()) {
            cpu.append(String.format(" cpu_%s=%.2f", e.getKey(),
                    (e.getValue() - watchedBefore.getOrDefault(e.getKey(), 0L)) / 100.0 / wall));
        }
        long allTicks = machineAfter[0] - machineBefore[0];
        cpu.append(String.format(" machine_busy_pct=%.0f steal_pct=%.0f",
                100.0 * (machineAfter[1] - machineBefore[1]) / Math.max(1, allTicks),
                100.0 * (machineAfter[2] - machineBefore[2]) / Math.max(1, allTicks)));

        // ---- analyse ----
        long[] fromCommit = new long[clients * created + 1];
        long[] fromSend = new long[clients * created + 1];
        long[] first = new long[posts];
        long[] last = new long[posts];
        long[] occurred = new long[posts];
        Arrays.fill(first, Long.MAX_VALUE);
        int n = 0;
        long delivered = 0;
        long duplicates = 0;
        long foreign = 0;
        long errors = 0;
        Map<Integer, Integer> closes = new TreeMap<>();
        for (Client client : sockets) {
            synchronized (client) {
                foreign += client.foreign;
                errors += client.errors;
                if (client.closeCode != 0) {
                    closes.merge(client.closeCode, 1, Integer::sum);
                }
                BitSet seen = new BitSet(posts);
                for (int k = 0; k < client.count; k++) {
                    int seq = client.seq[k];
                    if (seq < 0 || seq >= posts || seen.get(seq)) {
                        duplicates++;
                        continue;
                    }
                    seen.set(seq);
                    delivered++;
                    long recv = client.received[k];
                    if (seq >= warm && n < fromCommit.length) {
                        fromCommit[n] = recv - client.occurred[k];
                        fromSend[n] = recv - sendMicros[seq];
                        n++;
                    }
                    occurred[seq] = client.occurred[k];
                    first[seq] = Math.min(first[seq], recv);
                    last[seq] = Math.max(last[seq], recv);
                }
            }
        }
        long expected = (long) clients * created;
        fromCommit = Arrays.copyOf(fromCommit, n);
        fromSend = Arrays.copyOf(fromSend, n);
        Arrays.sort(fromCommit);
        Arrays.sort(fromSend);
        long[] pipeline = new long[posts];
        long[] spread = new long[posts];
        long[] post = new long[posts];
        int m = 0;
        int p = 0;
        for (int seq = warm; seq < posts; seq++) {
            if (status[seq] == 201) {
                post[p++] = answerMicros[seq] - sendMicros[seq];
            }
            if (first[seq] != Long.MAX_VALUE) {
                pipeline[m] = first[seq] - occurred[seq];
                spread[m] = last[seq] - first[seq];
                m++;
            }
        }
        pipeline = Arrays.copyOf(pipeline, m);
        spread = Arrays.copyOf(spread, m);
        post = Arrays.copyOf(post, p);
        Arrays.sort(pipeline);
        Arrays.sort(spread);
        Arrays.sort(post);

        System.out.printf("notify ws=%s clients=%d connected=%d open_at_start=%d rate=%d warmup_s=%d seconds=%d posts=%d created=%d"
                + " post_statuses=%s expected=%d delivered=%d missing=%d duplicates=%d foreign=%d unreadable=%d closes=%s"
                + " commit_p50=%.2f commit_p90=%.2f commit_p99=%.2f commit_p99.9=%.2f commit_max=%.2f"
                + " send_p50=%.2f send_p99=%.2f send_max=%.2f"
                + " pipeline_p50=%.2f pipeline_p99=%.2f pipeline_max=%.2f fanout_p50=%.2f fanout_p99=%.2f fanout_max=%.2f"
                + " post_p50=%.2f post_p99=%.2f cpu_client=%.2f%s connect_s=%.1f%n",
                args[0], clients, clients - failed.get(), open, rate, warmupSeconds, seconds, posts, created,
                statuses.toString().replace(" ", ""), expected, delivered, expected - delivered, duplicates, foreign,
                errors, closes.toString().replace(" ", ""),
                ms(fromCommit, 50), ms(fromCommit, 90), ms(fromCommit, 99), ms(fromCommit, 99.9), ms(fromCommit, 100),
                ms(fromSend, 50), ms(fromSend, 99), ms(fromSend, 100),
                ms(pipeline, 50), ms(pipeline, 99), ms(pipeline, 100), ms(spread, 50), ms(spread, 99), ms(spread, 100),
                ms(post, 50), ms(post, 99), clientCpu, cpu, connectSeconds);
        System.out.printf("  %d sockets, %d posts created at %d/s for %d s, the first %d s not measured (POST statuses %s):"
                + " %d of %d deliveries (%d missing, %d duplicates); closes during the run %s%n", clients, created, rate,
                warmupSeconds + seconds, warmupSeconds, statuses, delivered, expected, expected - delivered, duplicates,
                closes);
        System.out.printf("  from occurredAt to socket: p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f%n",
                ms(fromCommit, 50), ms(fromCommit, 90), ms(fromCommit, 99), ms(fromCommit, 99.9), ms(fromCommit, 100));
        System.out.printf("  from the writer's send to socket: p50 %.2f ms, p99 %.2f, max %.2f%n", ms(fromSend, 50),
                ms(fromSend, 99), ms(fromSend, 100));
        System.out.printf("  per post, occurredAt to first socket: p50 %.2f ms, p99 %.2f, max %.2f; first to last socket:"
                + " p50 %.2f, p99 %.2f, max %.2f%n", ms(pipeline, 50), ms(pipeline, 99), ms(pipeline, 100),
                ms(spread, 50), ms(spread, 99), ms(spread, 100));
        System.out.printf("  POST /api/v1/posts: p50 %.2f ms, p99 %.2f; this client JVM used %.2f cores meanwhile;%s%n",
                ms(post, 50), ms(post, 99), clientCpu, cpu);
        // Per second of writing (posts by sequence number): is the tail a few stalls or a growing backlog?
        StringBuilder firstBySecond = new StringBuilder();
        StringBuilder lastBySecond = new StringBuilder();
        for (int second = 0; second < seconds; second++) {
            long worstFirst = -1;
            long worstLast = -1;
            for (int seq = warm + second * rate; seq < warm + (second + 1) * rate; seq++) {
                if (first[seq] != Long.MAX_VALUE) {
                    worstFirst = Math.max(worstFirst, first[seq] - occurred[seq]);
                    worstLast = Math.max(worstLast, last[seq] - occurred[seq]);
                }
            }
            firstBySecond.append(worstFirst < 0 ? " -" : String.format(" %.0f", worstFirst / 1000.0));
            lastBySecond.append(worstLast < 0 ? " -" : String.format(" %.0f", worstLast / 1000.0));
        }
        System.out.printf("  per second of writing, the worst post's occurredAt to first socket (ms):%s%n", firstBySecond);
        System.out.printf("  per second of writing, the worst post's occurredAt to last socket (ms): %s%n", lastBySecond);
        closeAll(sockets);
        System.exit(0);
    }

    /**
     * CPU ticks (1/100 s) so far of the processes named in env WATCH ("name=pid,pid;name=pid"; children of
     * each pid are counted too, for nginx's and PostgreSQL's workers).
     */
    static Map<String, Long> watchedTicks() {
        Map<String, Long> ticks = new TreeMap<>();
        String watch = System.getenv("WATCH");
        if (watch == null || watch.isBlank()) {
            return ticks;
        }
        for (String group : watch.split(";")) {
            String[] nameAndPids = group.split("=", 2);
            long sum = 0;
            for (String pid : nameAndPids[1].split(",")) {
                sum += ProcessHandle.of(Long.parseLong(pid.trim())).map(h -> {
                    long t = processTicks(h.pid());
                    for (ProcessHandle child : h.children().toList()) {
                        t += processTicks(child.pid());
                    }
                    return t;
                }).orElse(0L);
            }
            ticks.put(nameAndPids[0], sum);
        }
        return ticks;
    }

    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    /** {all, busy (user+nice+system+irq+softirq), steal} ticks of the whole machine so far. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long all = 0;
            for (int i = 1; i <= 8; i++) {
                all += Long.parseLong(f[i]);
            }
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return new long[] {all, busy, Long.parseLong(f[8])};
        } catch (Exception e) {
            return new long[3];
        }
    }

    static boolean allDelivered(Client[] sockets, int created) {
        for (Client client : sockets) {
            if (client.channel != null && client.closeCode == 0 && client.delivered() < created) {
                return false;
            }
        }
        return true;
    }

    static int countOpen(Client[] sockets) {
        int open = 0;
        for (Client client : sockets) {
            if (client.channel != null && client.closeCode == 0) {
                open++;
            }
        }
        return open;
    }

    /** A close frame (1000) on every open socket, a moment for the server's answer, then the sockets go. */
    static void closeAll(Client[] sockets) throws InterruptedException {
        for (Client client : sockets) {
            if (client.channel != null && client.closeCode == 0) {
                client.sendFrame(0x8, new byte[] {0x03, (byte) 0xE8});
            }
        }
        Thread.sleep(1000);
        for (Client client : sockets) {
            if (client.channel != null) {
                try {
                    client.channel.close();
                } catch (IOException ignored) {
                    // going anyway
                }
            }
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    static double ms(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int i = p >= 100 ? sortedMicros.length - 1
                : Math.max(0, Math.min(sortedMicros.length - 1, (int) Math.ceil(p / 100 * sortedMicros.length) - 1));
        return sortedMicros[i] / 1000.0;
    }

    /** One selector thread reading its share of the sockets. */
    static final class Loop {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<Client> pending = new ConcurrentLinkedQueue<>();

        Loop(int index) throws IOException {
            selector = Selector.open();
            thread = Thread.ofPlatform().daemon().name("ws-loop-" + index).unstarted(this::run);
        }

        void register(Client client) {
            pending.add(client);
            selector.wakeup();
        }

        private void run() {
            try {
                while (true) {
                    selector.select();
                    Client added;
                    while ((added = pending.poll()) != null) {
                        added.channel.configureBlocking(false);
                        added.channel.register(selector, SelectionKey.OP_READ, added);
                        added.drain(nowMicros()); // bytes that came with the handshake's answer
                    }
                    var keys = selector.selectedKeys();
                    for (SelectionKey key : keys) {
                        Client client = (Client) key.attachment();
                        if (!client.read(nowMicros())) {
                            key.cancel();
                        }
                    }
                    keys.clear();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One socket: records, per post_created of this run, the post's sequence number, occurredAt and arrival. */
    static final class Client {
        final byte[] marker;
        final int[] seq;
        final long[] occurred;
        final long[] received;
        ByteBuffer in = ByteBuffer.allocate(16384);
        byte[] message = new byte[0]; // a fragmented message being assembled
        int messageLength;
        volatile SocketChannel channel;
        volatile int closeCode;
        int count;
        int foreign;
        int errors;
        private volatile int deliveredCount;

        Client(String tag, int posts) {
            this.marker = ("\"title\":\"nb" + tag + "-").getBytes(StandardCharsets.US_ASCII);
            int capacity = posts + 16;
            seq = new int[capacity];
            occurred = new long[capacity];
            received = new long[capacity];
        }

        int delivered() {
            return deliveredCount;
        }

        /** Blocking: connect, send the upgrade, read the 101; what follows the answer stays in {@code in}. */
        void handshake(URI uri, String token) throws Exception {
            SocketChannel socket = SocketChannel.open();
            socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            socket.socket().connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                socket.write(out);
            }
            int headEnd;
            while ((headEnd = headEnd(in)) < 0) {
                if (socket.read(in) < 0) {
                    throw new IOException("closed during the handshake");
                }
                if (!in.hasRemaining()) {
                    throw new IOException("handshake answer too long");
                }
            }
            String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            if (!head.toLowerCase().contains("sec-websocket-accept: " + accept.toLowerCase())) {
                throw new IOException("bad Sec-WebSocket-Accept");
            }
            in.flip();
            in.position(headEnd + 4);
            in.compact(); // write mode again, holding any frame bytes that came along
            channel = socket;
        }

        private static int headEnd(ByteBuffer buffer) {
            byte[] a = buffer.array();
            for (int i = 0; i + 3 < buffer.position(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        /** Reads what is there and handles every complete frame; false once the socket is gone. */
        boolean read(long now) {
            try {
                int read;
                while ((read = channel.read(in)) > 0) {
                    drain(now);
                    if (!in.hasRemaining()) {
                        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                    }
                }
                if (read < 0) {
                    if (closeCode == 0) {
                        closeCode = -1; // closed without a close frame
                    }
                    channel.close();
                    return false;
                }
                return true;
            } catch (IOException e) {
                if (closeCode == 0) {
                    closeCode = -2;
                }
                return false;
            }
        }

        /** Handles every complete frame in {@code in} (write mode before and after). */
        void drain(long now) {
            in.flip();
            byte[] a = in.array();
            while (in.remaining() >= 2) {
                int at = in.position();
                int b0 = a[at] & 0xFF;
                int b1 = a[at + 1] & 0xFF;
                long length = b1 & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    length = ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
                    header = 4;
                } else if (length == 127) {
                    if (in.remaining() < 10) {
                        break;
                    }
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | (a[at + 2 + i] & 0xFF);
                    }
                    header = 10;
                }
                if ((b1 & 0x80) != 0 || in.remaining() < header + length) {
                    if ((b1 & 0x80) != 0) {
                        errors++; // a server never masks
                    }
                    break;
                }
                frame(b0 & 0x80, b0 & 0x0F, a, at + header, (int) length, now);
                in.position(at + header + (int) length);
            }
            in.compact();
        }

        private void frame(int fin, int opcode, byte[] a, int from, int length, long now) {
            switch (opcode) {
                case 0x1, 0x0 -> {
                    if (fin != 0 && messageLength == 0) {
                        message(a, from, length, now);
                    } else {
                        if (message.length < messageLength + length) {
                            message = Arrays.copyOf(message, Math.max(2 * message.length, messageLength + length));
                        }
                        System.arraycopy(a, from, message, messageLength, length);
                        messageLength += length;
                        if (fin != 0) {
                            message(message, 0, messageLength, now);
                            messageLength = 0;
                        }
                    }
                }
                case 0x8 -> {
                    closeCode = length >= 2 ? ((a[from] & 0xFF) << 8) | (a[from + 1] & 0xFF) : 1005;
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // gone
                    }
                }
                case 0x9 -> sendFrame(0xA, Arrays.copyOfRange(a, from, from + length));
                default -> { } // pong
            }
        }

        private synchronized void message(byte[] a, int from, int length, long now) {
            int at = indexOf(a, from, from + length, marker);
            if (at < 0) {
                foreign++;
                return;
            }
            int digits = at + marker.length;
            int number = 0;
            while (digits < from + length && a[digits] >= '0' && a[digits] <= '9') {
                number = number * 10 + (a[digits++] - '0');
            }
            byte[] key = "\"occurredAt\":\"".getBytes(StandardCharsets.US_ASCII);
            int occurredAt = indexOf(a, from, from + length, key);
            if (occurredAt < 0 || count == seq.length) {
                errors++;
                return;
            }
            int start = occurredAt + key.length;
            int end = start;
            while (end < from + length && a[end] != '"') {
                end++;
            }
            Instant when = Instant.parse(new String(a, start, end - start, StandardCharsets.US_ASCII));
            seq[count] = number;
            occurred[count] = when.getEpochSecond() * 1_000_000L + when.getNano() / 1000;
            received[count] = now;
            count++;
            deliveredCount = count;
        }

        private static int indexOf(byte[] a, int from, int to, byte[] needle) {
            outer:
            for (int i = from; i + needle.length <= to; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (a[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        /** A masked client frame (pong, close); small, so one non-blocking write takes it. */
        synchronized void sendFrame(int opcode, byte[] payload) {
            ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length)).put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i % 4]));
            }
            frame.flip();
            try {
                while (frame.hasRemaining() && channel.write(frame) >= 0) {
                    if (frame.hasRemaining()) {
                        Thread.onSpinWait();
                    }
                }
            } catch (IOException ignored) {
                // the socket is gone; its reader notices
            }
        }
    }
}
