import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The pipeline-ingest benchmark's client (bench/ingest/run.sh runs it). Posts user_action events with a write key
 * straight to one instance (not through nginx) and prints "key=value" lines:
 *
 * <pre>
 * java IngestBench size                                   one event as the intake writes it to events.raw: its bytes
 * java IngestBench batched URL KEY EVENTS CONCURRENCY PER_BATCH   POST /api/v1/events/batch: accepted events/s
 * java IngestBench single  URL KEY EVENTS                 POST /api/v1/events one at a time: p50/p99/max
 * java IngestBench e2e     URL KEY EVENTS RATE BOOTSTRAP  one at a time at RATE/s; each event's time from before its
 *                                                         POST to its record on events.enriched (read_committed)
 * </pre>
 */
public class IngestBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        switch (args[0]) {
            case "size" -> System.out.println("record_bytes=" + canonical(UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8).length);
            case "batched" -> batched(URI.create(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "single" -> single(URI.create(args[1]), args[2], Integer.parseInt(args[3]));
            case "e2e" -> e2e(URI.create(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5]);
            default -> throw new IllegalArgumentException("mode: size, batched, single or e2e");
        }
    }

    /** An event as a client sends it: user_action 1.0, a free-form user id (write-key sources name their own users). */
    static String event(String eventId) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"user_action\",\"timestamp\":\"" + Instant.now()
                + "\",\"user_id\":\"bench-visitor-" + (eventId.hashCode() & 1023)
                + "\",\"data\":{\"action\":\"click\",\"page\":\"/pricing\",\"session_id\":\"s-" + eventId.substring(0, 8)
                + "\",\"target\":\"signup-button\"},\"metadata\":{\"source\":\"web\",\"version\":\"1.0\"}}";
    }

    /** What the intake writes: the same JSON, compact, snake_case (the client already sends that). */
    static String canonical(String eventId) {
        return event(eventId);
    }

    private static HttpRequest post(URI base, String path, String key, String body) {
        String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /**
     * The request bodies of a batched run, built before the clock starts: the client's own work per request is then
     * sending bytes, so what is measured is the service (building 500 events' JSON and UUIDs per request cost the
     * client a quarter of a core at 20,000 events/s, on the same two cores as the service and the broker).
     */
    static List<byte[]> batchBodies(int requests, int perBatch) {
        List<byte[]> bodies = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            StringBuilder body = new StringBuilder(perBatch * 300).append("{\"events\":[");
            for (int i = 0; i < perBatch; i++) {
                body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID().toString()));
            }
            bodies.add(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    static void batched(URI base, String key, int events, int concurrency, int perBatch) throws Exception {
        int requests = events / perBatch;
        List<byte[]> bodies = batchBodies(requests, perBatch);
        String basic = "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        URI uri = base.resolve("/api/v1/events/batch");
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(concurrency)) {
            for (int c = 0; c < concurrency; c++) {
                pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                .header("Authorization", basic).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(n))).build();
                        try {
                            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                accepted.addAndGet(acceptedOf(response.body()));
                            } else {
                                failed.incrementAndGet();
                                if (failed.get() < 5) {
                                    System.err.println("batch answered " + response.statusCode() + ": " + response.body());
                                }
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuNanos() - cpuStart) / 1e9;
        System.out.printf("accepted=%d%nfailed_requests=%d%nseconds=%.2f%nevents_per_second=%.0f%nclient_cpu_seconds=%.2f%n",
                accepted.get(), failed.get(), seconds, accepted.get() / seconds, cpu);
    }

    /** This JVM's CPU time so far (all its threads, GC and JIT included). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code accepted} of a batch answer ({@code {"accepted":500,...}}), without a regex over the whole body. */
    static long acceptedOf(String body) {
        int at = body.indexOf("\"accepted\":") + "\"accepted\":".length();
        int end = at;
        while (end < body.length() && Character.isDigit(body.charAt(end))) {
            end++;
        }
        return Long.parseLong(body.substring(at, end));
    }

    static void single(URI base, String key, int events) throws Exception {
        long[] micros = new long[events];
        int failed = 0;
        for (int i = 0; i < events; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = HTTP.send(post(base, "/api/v1/events", key, event(UUID.randomUUID().toString())),
                    HttpResponse.BodyHandlers.ofString());
            micros[i] = (System.nanoTime() - t0) / 1000;
            if (response.statusCode() != 202) {
                failed++;
            }
        }
        Arrays.sort(micros);
        System.out.printf("events=%d%nfailed=%d%np50_ms=%.2f%np99_ms=%.2f%nmax_ms=%.2f%n", events, failed,
                pct(micros, 50) / 1000.0, pct(micros, 99) / 1000.0, micros[events - 1] / 1000.0);
    }

    static void e2e(URI base, String key, int events, int rate, String bootstrap) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partitions = consumer.partitionsFor("events.enriched").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread sender = Thread.ofPlatform().start(() -> {
                long interval = 1_000_000_000L / rate;
                long due = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    due += interval;
                    String id = UUID.randomUUID().toString();
                    sentAt.put(id, System.nanoTime());
                    try {
                        HTTP.send(post(base, "/api/v1/events", key, event(id)), HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        sentAt.remove(id);
                    }
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(events / rate + 60).toNanos();
            while ((sender.isAlive() || !sentAt.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    Header id = record.headers().lastHeader("ce_id");
                    Long sent = id == null ? null : sentAt.remove(new String(id.value(), StandardCharsets.UTF_8));
                    if (sent != null) {
                        latencies.add((now - sent) / 1000);
                    }
                }
            }
            sender.join();
        }
        long[] micros = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("events=%d%nseen=%d%nmissing=%d%np50_ms=%.1f%np99_ms=%.1f%nmax_ms=%.1f%n", events, micros.length,
                sentAt.size(), pct(micros, 50) / 1000.0, pct(micros, 99) / 1000.0,
                micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0);
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
