package workspace;

import static lib.Latencies.msOfNanos;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import lib.CpuTicks;
import lib.WebSockets;

/**
 * The live workspace under load: many sockets on one project, spread over one or more workspace-service
 * instances; fan-out latency of FILE_CHANGE and CURSOR_UPDATE; and (with a hook) what open sockets cost.
 *
 * <ol>
 * <li>Opens {@code clients} sockets to {@code <url>/ws/projects/<project>}, socket i to url i mod U
 * (U = number of urls), with token ((i / U) mod T) of the T in the tokens file (so a user's sockets are
 * spread evenly over the instances), to project (i / (U T)) mod P of the P {@code projects} (the phases
 * below expect one project), 32 handshakes at a time, in {@code stages} (e.g. 1000,5000): after
 * each stage it waits until every socket of it has its {@code SNAPSHOT} (at most 120 s), 2 s more, counts
 * the open sockets and runs {@code hook} (bash -c, env CONNECTED, CONNECTED_k per url k, STAGE).</li>
 * <li>Then each phase in {@code phases} (file, cursor; none for idle runs): {@code senders} sockets of
 * distinct users, alternating over the instances, send open loop at {@code file_rate} (or
 * {@code cursor_rate}) messages a second in all, message i from sender i mod senders at start + i/rate,
 * for {@code warmup} + {@code seconds} s; the first {@code warmup} s are left out of the latencies and CPU
 * figures but must arrive too. A FILE_CHANGE must reach every socket (its author's too); a CURSOR_UPDATE
 * every socket but the mover's. Each carries its number ({@code change} "tag:n"; a cursor's {@code path}
 * "c/tag/n"); its send time stays in this JVM: latency = the receiving read's {@link System#nanoTime()}
 * minus the sender's, one clock. Also per message: send to first socket, and first to last socket.</li>
 * </ol>
 *
 * <p>Usage: java bench/workspace/LiveFanout.java key=value... with urls=ws://h:p[,ws://h:p] projects=ID[,ID...]
 * tokens=FILE clients=N [stages=N,N] [hook=CMD] [phases=file,cursor] [file_rate=10] [cursor_rate=20]
 * [senders=10] [seconds=30] [warmup=5] [label=NAME]. Env WATCH ("name=pid;name=pid"): CPU of those
 * processes (with their children) over each phase's measured sending. Prints per phase one line
 * "fanout key=value ..." (times in ms) and a readable block (lines starting with two spaces).
 */
public class LiveFanout {

    static final int LOOPS = 2;
    static final byte[] FILE = "{\"type\":\"FILE_CHANGE\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CURSOR = "{\"type\":\"CURSOR_UPDATE\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SNAPSHOT = "{\"type\":\"SNAPSHOT\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ERROR = "{\"type\":\"ERROR\"".getBytes(StandardCharsets.US_ASCII);

    static final Map<String, AtomicInteger> received = new ConcurrentHashMap<>(); // other message types
    static final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();   // ERROR codes
    static final Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> closeReasons = new ConcurrentHashMap<>();
    static volatile Phase current;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            o.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        List<String> urls = List.of(o.get("urls").split(","));
        List<String> projects = List.of(o.get("projects").split(","));
        List<String> tokens = Files.readAllLines(Path.of(o.get("tokens"))).stream().filter(l -> !l.isBlank()).toList();
        int clients = Integer.parseInt(o.get("clients"));
        int[] stages = Arrays.stream(o.getOrDefault("stages", String.valueOf(clients)).split(","))
                .mapToInt(Integer::parseInt).toArray();
        String hook = o.get("hook");
        List<String> phases = Arrays.stream(o.getOrDefault("phases", "").split(",")).filter(s -> !s.isBlank()).toList();
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        int senderCount = Integer.parseInt(o.getOrDefault("senders", "10"));
        String label = o.getOrDefault("label", "run");
        int u = urls.size();

        // ---- connect, in stages ----
        WebSockets.Loop[] loops = new WebSockets.Loop[LOOPS];
        for (int i = 0; i < LOOPS; i++) {
            loops[i] = new WebSockets.Loop("ws-loop-" + i);
        }
        Client[] sockets = new Client[clients];
        Map<String, AtomicInteger> connectErrors = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService handshakes = Executors.newFixedThreadPool(32);
        int from = 0;
        double connectSeconds = 0;
        for (int stage : stages) {
            int to = Math.min(stage, clients);
            CountDownLatch done = new CountDownLatch(to - from);
            long began = System.nanoTime();
            for (int i = from; i < to; i++) {
                int instance = i % u;
                Client client = new Client(i, instance, (i / u) % tokens.size());
                sockets[i] = client;
                String project = projects.get((i / (u * tokens.size())) % projects.size());
                URI uri = URI.create(urls.get(instance) + "/ws/projects/" + project);
                String token = tokens.get(client.user);
                WebSockets.Loop loop = loops[i % LOOPS];
                handshakes.execute(() -> {
                    try {
                        client.socket.handshake(uri, Map.of("Authorization", "Bearer " + token));
                        loop.register(client.socket);
                    } catch (Exception e) {
                        client.failed = true;
                        failed.incrementAndGet();
                        connectErrors.computeIfAbsent(String.valueOf(e.getMessage()), k -> new AtomicInteger()).incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            if (!done.await(180, TimeUnit.SECONDS)) {
                System.out.printf("  %d handshakes still unanswered after 180 s%n", done.getCount());
            }
            // Every socket of the stage has its SNAPSHOT (or has closed), at most 120 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && !snapshotsIn(sockets, from, to)) {
                Thread.sleep(20);
            }
            double took = (System.nanoTime() - began) / 1e9;
            connectSeconds += took;
            Thread.sleep(2000); // a refused handshake is accepted, then closed at once (4401, 4403, 4408)
            int open = countOpen(sockets, 0, to);
            int withSnapshot = 0;
            for (int i = 0; i < to; i++) {
                if (sockets[i].snapshot) {
                    withSnapshot++;
                }
            }
            System.out.printf("  stage %d: %d of %d sockets open after 2 s, %d with their SNAPSHOT, %.1f s to connect"
                    + " and get snapshots; handshake failures %d %s; closes %s%n", to, open, to, withSnapshot, took,
                    failed.get(), connectErrors, closes);
            System.out.printf("connect label=%s stage=%d open=%d snapshots=%d seconds=%.1f failed=%d closes=%s%n", label, to,
                    open, withSnapshot, took, failed.get(), mapText(closes));
            if (hook != null && !hook.isBlank()) {
                ProcessBuilder builder = new ProcessBuilder("bash", "-c", hook).inheritIO();
                builder.environment().put("CONNECTED", String.valueOf(open));
                builder.environment().put("STAGE", String.valueOf(to));
                for (int k = 0; k < u; k++) { // CONNECTED_0, CONNECTED_1, ...: open sockets per url
                    int n = 0;
                    for (int i = 0; i < to; i++) {
                        if (sockets[i].instance == k && sockets[i].socket.isOpen()) {
                            n++;
                        }
                    }
                    builder.environment().put("CONNECTED_" + k, String.valueOf(n));
                }
                builder.start().waitFor();
            }
            from = to;
        }
        handshakes.shutdownNow();

        // ---- phases ----
        for (String kind : phases) {
            int rate = Integer.parseInt(o.getOrDefault(kind + "_rate", kind.equals("file") ? "10" : "20"));
            Client[] senders = senders(sockets, senderCount, u);
            Phase phase = new Phase(kind, rate, warmup, seconds, clients);
            int openAtStart = countOpen(sockets, 0, clients);
            Map<Integer, Integer> closesBefore = snapshotOf(closes);
            Map<String, Integer> errorsBefore = snapshotOf(errors);
            current = phase;
            Thread.sleep(200);
            Usage usage = phase.send(senders);
            // Everything delivered (FILE_CHANGE), or nothing new for a while (cursors may be dropped), at most 60 s.
            long quietFor = TimeUnit.SECONDS.toNanos(kind.equals("file") ? 10 : 3);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long lastCount = -1;
            long lastChange = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long count = phase.deliveries.get();
                if (count != lastCount) {
                    lastCount = count;
                    lastChange = System.nanoTime();
                }
                if (phase.allIn(sockets) || System.nanoTime() - lastChange > quietFor) {
                    break;
                }
                Thread.sleep(20);
            }
            current = null;
            phase.report(label, sockets, senders, openAtStart, usage, diff(closes, closesBefore), diff(errors, errorsBefore));
            Thread.sleep(1000);
        }
        System.out.printf("  other messages received: %s; ERROR codes: %s; closes: %s; close reasons: %s%n",
                new TreeMap<>(received), new TreeMap<>(errors), new TreeMap<>(closes), new TreeMap<>(closeReasons));
        WebSockets.Socket[] all = new WebSockets.Socket[clients];
        for (int i = 0; i < clients; i++) {
            all[i] = sockets[i].socket;
        }
        WebSockets.closeAll(all);
        System.exit(0);
    }

    /** Senders of distinct users where possible, alternating over the instances, spread over the sockets. */
    static Client[] senders(Client[] sockets, int count, int instances) {
        List<Client> chosen = new ArrayList<>();
        Set<Integer> users = new HashSet<>();
        int step = Math.max(1, sockets.length / count);
        for (int k = 0; k < count; k++) {
            Client pick = null;
            for (int j = 0; j < sockets.length && pick == null; j++) {
                Client c = sockets[(k * step + j) % sockets.length];
                if (c.instance == k % instances && c.socket.isOpen() && !users.contains(c.user) && !chosen.contains(c)) {
                    pick = c;
                }
            }
            for (int j = 0; j < sockets.length && pick == null; j++) { // fewer users than senders
                Client c = sockets[(k * step + j) % sockets.length];
                if (c.instance == k % instances && c.socket.isOpen() && !chosen.contains(c)) {
                    pick = c;
                }
            }
            if (pick != null) {
                chosen.add(pick);
                users.add(pick.user);
            }
        }
        return chosen.toArray(Client[]::new);
    }

    static boolean snapshotsIn(Client[] sockets, int from, int to) {
        for (int i = from; i < to; i++) {
            Client c = sockets[i];
            if (c.socket.isOpen() && !c.snapshot) {
                return false;
            }
            if (!c.socket.isOpen() && c.socket.closeCode() == 0) { // handshake still going or failed
                if (!c.failed) {
                    return false;
                }
            }
        }
        return true;
    }

    static int countOpen(Client[] sockets, int from, int to) {
        int open = 0;
        for (int i = from; i < to; i++) {
            if (sockets[i] != null && sockets[i].socket.isOpen()) {
                open++;
            }
        }
        return open;
    }

    static <K> Map<K, Integer> snapshotOf(Map<K, AtomicInteger> counts) {
        Map<K, Integer> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    static <K> Map<K, Integer> diff(Map<K, AtomicInteger> now, Map<K, Integer> before) {
        Map<K, Integer> d = new TreeMap<>();
        now.forEach((k, v) -> {
            int n = v.get() - before.getOrDefault(k, 0);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }

    static String mapText(Map<?, ?> map) {
        return new TreeMap<>(map).toString().replace(" ", "");
    }

    /** One socket and what it received. */
    static final class Client implements WebSockets.Handler {
        final int index;
        final int instance;
        final int user;
        final WebSockets.Socket socket = new WebSockets.Socket(this);
        volatile boolean snapshot;
        volatile boolean failed;

        Client(int index, int instance, int user) {
            this.index = index;
            this.instance = instance;
            this.user = user;
        }

        @Override
        public void text(WebSockets.Socket s, byte[] a, int from, int length, long nanos) {
            Phase phase = current;
            if (startsWith(a, from, length, FILE)) {
                if (phase == null || !phase.kind.equals("file") || !phase.record(this, a, from, length, nanos)) {
                    count(received, "FILE_CHANGE (not of the phase)");
                }
            } else if (startsWith(a, from, length, CURSOR)) {
                if (phase == null || !phase.kind.equals("cursor") || !phase.record(this, a, from, length, nanos)) {
                    count(received, "CURSOR_UPDATE (not of the phase)");
                }
            } else if (startsWith(a, from, length, SNAPSHOT)) {
                snapshot = true;
            } else if (startsWith(a, from, length, ERROR)) {
                String text = new String(a, from, length, StandardCharsets.UTF_8);
                int at = text.indexOf("\"code\":\"");
                count(errors, at < 0 ? "?" : text.substring(at + 8, text.indexOf('"', at + 8)));
            } else {
                String text = new String(a, from, Math.min(length, 40), StandardCharsets.UTF_8);
                int at = text.indexOf("\"type\":\"");
                count(received, at < 0 ? "?" : text.substring(at + 8, Math.max(at + 8, text.indexOf('"', at + 8))));
            }
        }

        @Override
        public void closed(WebSockets.Socket s, int code) {
            closes.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
            if (code >= 4000 && s.closeReason() != null) { // which refusal it was, for the report
                count(closeReasons, code + " " + s.closeReason());
            }
        }

        static <K> void count(Map<K, AtomicInteger> counts, K key) {
            counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    static boolean startsWith(byte[] a, int from, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] a, int from, int to, byte[] needle) {
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

    /** CPU over a phase's measured sending: watched processes, this JVM, the machine. */
    record Usage(Map<String, Double> cores, double client, double busyPct, double stealPct) {
    }

    /** One phase: what was sent when, and per socket which messages came when. */
    static final class Phase {
        final String kind;
        final int rate;
        final int warm;
        final int total;
        final int seconds;
        final int warmupSeconds;
        final String tag = UUID.randomUUID().toString().substring(0, 8);
        final byte[] marker;
        final long[] sendNanos;
        final int[] senderOf;
        final int[][] ids;
        final long[][] times;
        final int[] counts;
        final int[] overflow;
        final AtomicLong deliveries = new AtomicLong();
        final int[] sentBy;
        int sent;

        Phase(String kind, int rate, int warmupSeconds, int seconds, int clients) {
            this.kind = kind;
            this.rate = rate;
            this.seconds = seconds;
            this.warmupSeconds = warmupSeconds;
            this.warm = rate * warmupSeconds;
            this.total = warm + rate * seconds;
            this.marker = (kind.equals("file") ? "\"change\":\"" + tag + ":" : "\"path\":\"c/" + tag + "/")
                    .getBytes(StandardCharsets.US_ASCII);
            sendNanos = new long[total];
            senderOf = new int[total];
            Arrays.fill(sendNanos, -1);
            ids = new int[clients][];
            times = new long[clients][];
            counts = new int[clients];
            overflow = new int[clients];
            sentBy = new int[clients];
        }

        String message(int i) {
            return kind.equals("file")
                    ? "{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"bench/" + tag + "/f" + (i % 50) + ".txt\",\"change\":\""
                            + tag + ":" + i + "\"}}"
                    : "{\"type\":\"CURSOR_UPDATE\",\"data\":{\"path\":\"c/" + tag + "/" + i + "\",\"line\":" + (i % 10_000)
                            + ",\"column\":" + (i % 80) + "}}";
        }

        /** On a loop thread: a message of this phase reached a socket. */
        boolean record(Client client, byte[] a, int from, int length, long nanos) {
            int at = indexOf(a, from, from + length, marker);
            if (at < 0) {
                return false;
            }
            int digits = at + marker.length;
            int n = 0;
            while (digits < from + length && a[digits] >= '0' && a[digits] <= '9') {
                n = n * 10 + (a[digits++] - '0');
            }
            synchronized (client) {
                int i = client.index;
                if (ids[i] == null) {
                    ids[i] = new int[total + 16];
                    times[i] = new long[total + 16];
                }
                if (counts[i] == ids[i].length) {
                    overflow[i]++;
                } else {
                    ids[i][counts[i]] = n;
                    times[i][counts[i]] = nanos;
                    counts[i]++;
                }
            }
            deliveries.incrementAndGet();
            return true;
        }

        /** Open loop: message i is due at start + i/rate whatever happened before. */
        Usage send(Client[] senders) throws InterruptedException {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime() + 100_000_000L;
            long cpuBefore = 0;
            long wallBefore = 0;
            Map<String, Long> watchedBefore = Map.of();
            long[] machineBefore = new long[3];
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (i == warm) { // CPU over the measured messages only
                    cpuBefore = os.getProcessCpuTime();
                    wallBefore = System.nanoTime();
                    watchedBefore = CpuTicks.watched();
                    machineBefore = CpuTicks.machine();
                }
                Client sender = senders[i % senders.length];
                if (!sender.socket.isOpen()) {
                    continue;
                }
                String text = message(i);
                senderOf[i] = sender.index;
                sendNanos[i] = System.nanoTime();
                sender.socket.sendText(text);
                sentBy[sender.index]++;
                sent++;
            }
            long end = start + total * interval;
            while (System.nanoTime() < end) {
                Thread.sleep(1);
            }
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            Map<String, Long> watchedAfter = CpuTicks.watched();
            long[] machineAfter = CpuTicks.machine();
            Map<String, Double> cores = new TreeMap<>();
            for (var e : watchedAfter.entrySet()) {
                cores.put(e.getKey(), (e.getValue() - watchedBefore.getOrDefault(e.getKey(), 0L)) / 100.0 / wall);
            }
            long all = Math.max(1, machineAfter[0] - machineBefore[0]);
            return new Usage(cores, (os.getProcessCpuTime() - cpuBefore) / 1e9 / wall,
                    100.0 * (machineAfter[1] - machineBefore[1]) / all, 100.0 * (machineAfter[2] - machineBefore[2]) / all);
        }

        int expectedPer(Client client, int i) {
            return kind.equals("cursor") && senderOf[i] == client.index ? 0 : 1;
        }

        boolean allIn(Client[] sockets) {
            for (Client c : sockets) {
                if (!c.socket.isOpen()) {
                    continue;
                }
                int expected = kind.equals("cursor") ? sent - sentBy[c.index] : sent;
                synchronized (c) {
                    if (counts[c.index] < expected) {
                        return false;
                    }
                }
            }
            return true;
        }


        void report(String label, Client[] sockets, Client[] senders, int openAtStart, Usage usage,
                Map<Integer, Integer> phaseCloses, Map<String, Integer> phaseErrors) {
            int clients = sockets.length;
            long expected = 0;
            long expectedMeasured = 0;
            for (Client c : sockets) {
                if (!c.socket.connected()) {
                    continue; // never connected: not a receiver
                }
                for (int i = 0; i < total; i++) {
                    if (sendNanos[i] >= 0 && expectedPer(c, i) == 1) {
                        expected++;
                        if (i >= warm) {
                            expectedMeasured++;
                        }
                    }
                }
            }
            long[] all = new long[(int) Math.min(Integer.MAX_VALUE - 8, expected + 16)];
            long[] local = new long[all.length];
            long[] remote = new long[all.length];
            int n = 0;
            int nl = 0;
            int nr = 0;
            long delivered = 0;
            long deliveredMeasured = 0;
            long duplicates = 0;
            long unknown = 0;
            long overflowed = 0;
            long[] first = new long[total];
            long[] last = new long[total];
            int[] reached = new int[total];
            Arrays.fill(first, Long.MAX_VALUE);
            Arrays.fill(last, Long.MIN_VALUE);
            int[] instanceOf = new int[clients];
            for (Client c : sockets) {
                instanceOf[c.index] = c.instance;
            }
            for (Client c : sockets) {
                synchronized (c) {
                    overflowed += overflow[c.index];
                    if (ids[c.index] == null) {
                        continue;
                    }
                    BitSet seen = new BitSet(total);
                    for (int k = 0; k < counts[c.index]; k++) {
                        int id = ids[c.index][k];
                        if (id < 0 || id >= total || sendNanos[id] < 0) {
                            unknown++;
                            continue;
                        }
                        if (seen.get(id)) {
                            duplicates++;
                            continue;
                        }
                        seen.set(id);
                        delivered++;
                        long recv = times[c.index][k];
                        first[id] = Math.min(first[id], recv);
                        last[id] = Math.max(last[id], recv);
                        reached[id]++;
                        if (id >= warm && n < all.length) {
                            deliveredMeasured++;
                            long latency = recv - sendNanos[id];
                            all[n++] = latency;
                            if (instanceOf[senderOf[id]] == c.instance) {
                                local[nl++] = latency;
                            } else {
                                remote[nr++] = latency;
                            }
                        }
                    }
                }
            }
            all = sorted(all, n);
            local = sorted(local, nl);
            remote = sorted(remote, nr);
            long[] toFirst = new long[total];
            long[] spread = new long[total];
            int m = 0;
            for (int id = warm; id < total; id++) {
                if (first[id] != Long.MAX_VALUE) {
                    toFirst[m] = first[id] - sendNanos[id];
                    spread[m] = last[id] - first[id];
                    m++;
                }
            }
            toFirst = sorted(toFirst, m);
            spread = sorted(spread, m);
            int measuredSent = 0;
            for (int id = warm; id < total; id++) {
                if (sendNanos[id] >= 0) {
                    measuredSent++;
                }
            }
            StringBuilder cpu = new StringBuilder();
            usage.cores().forEach((name, cores) -> cpu.append(String.format(" cpu_%s=%.2f", name, cores)));
            Set<Integer> senderUsers = new HashSet<>();
            for (Client s : senders) {
                senderUsers.add(s.user);
            }
            System.out.printf("fanout label=%s phase=%s clients=%d open_at_start=%d senders=%d sender_users=%d rate=%d"
                    + " warmup_s=%d seconds=%d sent=%d of=%d expected=%d delivered=%d missing=%d duplicates=%d unknown=%d"
                    + " overflow=%d measured_expected=%d measured_delivered=%d delivered_pct=%.2f"
                    + " p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f local_p50=%.2f local_p99=%.2f remote_p50=%.2f"
                    + " remote_p99=%.2f first_p50=%.2f first_p99=%.2f spread_p50=%.2f spread_p99=%.2f spread_max=%.2f"
                    + " cpu_client=%.2f%s machine_busy_pct=%.0f steal_pct=%.0f closes=%s errors=%s%n",
                    label, kind, clients, openAtStart, senders.length, senderUsers.size(), rate, warmupSeconds, seconds, sent,
                    total, expected, delivered, expected - delivered, duplicates, unknown, overflowed, expectedMeasured,
                    deliveredMeasured, 100.0 * deliveredMeasured / Math.max(1, expectedMeasured),
                    msOfNanos(all, 50), msOfNanos(all, 90), msOfNanos(all, 99), msOfNanos(all, 99.9), msOfNanos(all, 100), msOfNanos(local, 50), msOfNanos(local, 99),
                    msOfNanos(remote, 50), msOfNanos(remote, 99), msOfNanos(toFirst, 50), msOfNanos(toFirst, 99), msOfNanos(spread, 50), msOfNanos(spread, 99),
                    msOfNanos(spread, 100), usage.client(), cpu, usage.busyPct(), usage.stealPct(), mapText(phaseCloses),
                    mapText(phaseErrors));
            System.out.printf("  %s, %s: %d sockets (%d open at the start), %d senders (%d users), %d messages/s for %d s,"
                    + " the first %d s not measured: %d sent; %d of %d deliveries (%d missing, %d duplicates, %d unknown);"
                    + " measured: %d of %d (%.2f %%)%n", label, kind, clients, openAtStart, senders.length, senderUsers.size(),
                    rate, warmupSeconds + seconds, warmupSeconds, sent, delivered, expected, expected - delivered, duplicates,
                    unknown, deliveredMeasured, expectedMeasured, 100.0 * deliveredMeasured / Math.max(1, expectedMeasured));
            System.out.printf("  send to socket: p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f; sockets on the sender's"
                    + " instance p50 %.2f / p99 %.2f, on the other p50 %.2f / p99 %.2f%n", msOfNanos(all, 50), msOfNanos(all, 90), msOfNanos(all, 99),
                    msOfNanos(all, 99.9), msOfNanos(all, 100), msOfNanos(local, 50), msOfNanos(local, 99), msOfNanos(remote, 50), msOfNanos(remote, 99));
            System.out.printf("  per message: send to first socket p50 %.2f ms, p99 %.2f; first to last socket p50 %.2f, p99 %.2f,"
                    + " max %.2f; CPU (cores) client %.2f,%s; machine busy %.0f %%, steal %.0f %%; closes %s, ERROR codes %s%n",
                    msOfNanos(toFirst, 50), msOfNanos(toFirst, 99), msOfNanos(spread, 50), msOfNanos(spread, 99), msOfNanos(spread, 100), usage.client(), cpu,
                    usage.busyPct(), usage.stealPct(), phaseCloses, phaseErrors);
            // The worst delivery of each second of sending: a growing series is a backlog, single peaks are stalls.
            StringBuilder worst = new StringBuilder();
            for (int s = 0; s < seconds; s++) {
                long w = -1;
                for (int id = warm + s * rate; id < warm + (s + 1) * rate; id++) {
                    if (last[id] != Long.MIN_VALUE) {
                        w = Math.max(w, last[id] - sendNanos[id]);
                    }
                }
                worst.append(w < 0 ? " -" : String.format(" %.0f", w / 1e6));
            }
            System.out.printf("  per second of sending, the worst message's send to last socket (ms):%s%n", worst);
        }
    }

    static long[] sorted(long[] values, int n) {
        long[] copy = Arrays.copyOf(values, n);
        Arrays.sort(copy);
        return copy;
    }


}
