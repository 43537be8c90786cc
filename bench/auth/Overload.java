import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop login load: requests leave at a fixed rate whatever the service answers (no coordinated
 * omission), each latency measured from its scheduled start. Prints status counts and latency
 * percentiles of every answer, 200s and 503s alike.
 *
 * Usage: java Overload.java BASE_URL RATE_PER_S SECONDS ACCOUNTS_FILE
 * ACCOUNTS_FILE: one "email address" per line (address sent as X-Forwarded-For; the service trusts it
 * from loopback, as it trusts the gateway).
 */
public class Overload {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        List<String[]> accounts = java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[3])).stream()
                .filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int total = rate * seconds;
        long[] latencies = new long[total];
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String[] account = accounts.get(i % accounts.size());
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("X-Forwarded-For", account[1])
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"" + account[0] + "\",\"password\":\"correct horse battery staple\"}"))
                    .build();
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latencies[index] = System.nanoTime() - scheduled;
                int status = error == null ? response.statusCode() : -1;
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                done.countDown();
            });
        }
        done.await();
        List<Long> sorted = new ArrayList<>(total);
        for (long l : latencies) {
            sorted.add(l);
        }
        Collections.sort(sorted);
        System.out.printf("offered %d req/s for %d s (%d requests)%n", rate, seconds, total);
        System.out.println("statuses " + new TreeMap<>(statuses));
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            long value = sorted.get(Math.min(total - 1, (int) Math.ceil(p / 100 * total) - 1));
            System.out.printf("p%s %.1f ms%n", p == 100 ? "max" : (p % 1 == 0 ? String.valueOf((int) p) : String.valueOf(p)),
                    value / 1e6);
        }
    }
}
