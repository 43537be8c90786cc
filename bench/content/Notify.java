package content;

import static lib.Latencies.msOfMicros;
import static lib.Latencies.nowMicros;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import lib.CpuTicks;
import lib.WebSockets;

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
 * handed over the whole message; and <b>from send</b>, the writer's clock just before it sent the POST (an upper
 * bound that also holds the POST's own time). Per post also: the first delivery (the pipeline: outbox
 * relay, Kafka, the Notifier, Redis, the tail) and the spread from the first socket to the last (the
 * fan-out).</li>
 * </ol>
 *
 * <p>The sockets are bench/lib/WebSockets.java (a minimal RFC 6455 client on NIO, two selector threads here), not
 * {@code java.net.http.WebSocket}: on this 2-core machine the JDK client took 1.1 cores to take 40,000 messages a
 * second, and that CPU came out of the service's share and into the figures.
 *
 * <p>Usage: java Notify.java WS_URL HTTP_URL TOKENS_FILE CLIENTS RATE SECONDS [HOOK [WARMUP_SECONDS]]. The
 * writer first writes WARMUP_SECONDS of posts that must arrive too but are left out of the latencies and
 * CPU figures. RATE 0: connect, run the hook, close. Prints "notify key=value ..." (times in ms) and a readable block. Env WATCH
 * ("name=pid,pid;name=pid"): CPU of those processes (and their children) over the writer phase. Env JIT_PID (the
 * service's pid): the share of its CPU that its JIT compilers took over the measured posts, to show the warm-up was enough.
 */
public class Notify {

    static final int SELECTORS = 2;

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
        WebSockets.Loop[] loops = new WebSockets.Loop[SELECTORS];
        for (int i = 0; i < SELECTORS; i++) {
            loops[i] = new WebSockets.Loop("ws-loop-" + i);
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
            WebSockets.Loop loop = loops[i % SELECTORS];
            handshakes.execute(() -> {
                try {
                    client.socket.handshake(ws, Map.of("Authorization", "Bearer " + token));
                    loop.register(client.socket);
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
        long jitPid = System.getenv("JIT_PID") == null ? 0 : Long.parseLong(System.getenv("JIT_PID"));
        long[] jitBefore = null;
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
                watchedBefore = CpuTicks.watched();
                machineBefore = CpuTicks.machine();
                jitBefore = CpuTicks.compilerAndAll(jitPid);
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
        Map<String, Long> watchedAfter = CpuTicks.watched();
        long[] machineAfter = CpuTicks.machine();
        long[] jitAfter = CpuTicks.compilerAndAll(jitPid);
        StringBuilder cpu = new StringBuilder();
        for (var e : watchedAfter.entrySet()) {
            cpu.append(String.format(" cpu_%s=%.2f", e.getKey(),
                    (e.getValue() - watchedBefore.getOrDefault(e.getKey(), 0L)) / 100.0 / wall));
        }
        long allTicks = machineAfter[0] - machineBefore[0];
        cpu.append(String.format(" machine_busy_pct=%.0f steal_pct=%.0f",
                100.0 * (machineAfter[1] - machineBefore[1]) / Math.max(1, allTicks),
                100.0 * (machineAfter[2] - machineBefore[2]) / Math.max(1, allTicks)));
        if (jitPid != 0) { // the share of the service's CPU its JIT compilers used while measured: warmed up or not
            cpu.append(String.format(" service_jit_pct=%.1f",
                    100.0 * (jitAfter[0] - jitBefore[0]) / Math.max(1, jitAfter[1] - jitBefore[1])));
        }

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
                if (client.socket.closeCode() != 0) {
                    closes.merge(client.socket.closeCode(), 1, Integer::sum);
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
                msOfMicros(fromCommit, 50), msOfMicros(fromCommit, 90), msOfMicros(fromCommit, 99), msOfMicros(fromCommit, 99.9), msOfMicros(fromCommit, 100),
                msOfMicros(fromSend, 50), msOfMicros(fromSend, 99), msOfMicros(fromSend, 100),
                msOfMicros(pipeline, 50), msOfMicros(pipeline, 99), msOfMicros(pipeline, 100), msOfMicros(spread, 50), msOfMicros(spread, 99), msOfMicros(spread, 100),
                msOfMicros(post, 50), msOfMicros(post, 99), clientCpu, cpu, connectSeconds);
        System.out.printf("  %d sockets, %d posts created at %d/s for %d s, the first %d s not measured (POST statuses %s):"
                + " %d of %d deliveries (%d missing, %d duplicates); closes during the run %s%n", clients, created, rate,
                warmupSeconds + seconds, warmupSeconds, statuses, delivered, expected, expected - delivered, duplicates,
                closes);
        System.out.printf("  from occurredAt to socket: p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f%n",
                msOfMicros(fromCommit, 50), msOfMicros(fromCommit, 90), msOfMicros(fromCommit, 99), msOfMicros(fromCommit, 99.9), msOfMicros(fromCommit, 100));
        System.out.printf("  from the writer's send to socket: p50 %.2f ms, p99 %.2f, max %.2f%n", msOfMicros(fromSend, 50),
                msOfMicros(fromSend, 99), msOfMicros(fromSend, 100));
        System.out.printf("  per post, occurredAt to first socket: p50 %.2f ms, p99 %.2f, max %.2f; first to last socket:"
                + " p50 %.2f, p99 %.2f, max %.2f%n", msOfMicros(pipeline, 50), msOfMicros(pipeline, 99), msOfMicros(pipeline, 100),
                msOfMicros(spread, 50), msOfMicros(spread, 99), msOfMicros(spread, 100));
        System.out.printf("  POST /api/v1/posts: p50 %.2f ms, p99 %.2f; this client JVM used %.2f cores meanwhile;%s%n",
                msOfMicros(post, 50), msOfMicros(post, 99), clientCpu, cpu);
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

    static boolean allDelivered(Client[] sockets, int created) {
        for (Client client : sockets) {
            if (client.socket.isOpen() && client.delivered() < created) {
                return false;
            }
        }
        return true;
    }

    static int countOpen(Client[] sockets) {
        int open = 0;
        for (Client client : sockets) {
            if (client.socket.isOpen()) {
                open++;
            }
        }
        return open;
    }

    static void closeAll(Client[] clients) throws InterruptedException {
        WebSockets.Socket[] sockets = new WebSockets.Socket[clients.length];
        for (int i = 0; i < clients.length; i++) {
            sockets[i] = clients[i].socket;
        }
        WebSockets.closeAll(sockets);
    }



    /** One socket: records, per post_created of this run, the post's sequence number, occurredAt and arrival. */
    static final class Client implements WebSockets.Handler {
        static final byte[] OCCURRED_AT = "\"occurredAt\":\"".getBytes(StandardCharsets.US_ASCII);

        final WebSockets.Socket socket = new WebSockets.Socket(this);
        final byte[] marker;
        final int[] seq;
        final long[] occurred;
        final long[] received;
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

        /** Arrival on the wall clock, as occurredAt is: the server and this client share the machine's clock. */
        @Override
        public synchronized void text(WebSockets.Socket s, byte[] a, int from, int length, long nanos) {
            long now = nowMicros();
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
            int occurredAt = indexOf(a, from, from + length, OCCURRED_AT);
            if (occurredAt < 0 || count == seq.length) {
                errors++;
                return;
            }
            int start = occurredAt + OCCURRED_AT.length;
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
    }
}
