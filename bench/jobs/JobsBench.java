import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The job-worker benchmark's client (bench/jobs/run.sh runs it). Submits no-op jobs over HTTP as one user
 * (a fresh user per run: everything of that user is this run's) and reads what happened to them from the jobs table (the database's own timestamps, so the client's
 * polling does not enter the figures):
 *
 * <pre>
 * java -cp postgresql.jar JobsBench.java throughput URL TOKEN USER_ID JDBC_URL DB_USER DB_PASSWORD JOBS CONCURRENCY [KILL_PID KILL_AFTER]
 * java -cp postgresql.jar JobsBench.java pickup     URL TOKEN USER_ID JDBC_URL DB_USER DB_PASSWORD JOBS
 * java -cp postgresql.jar JobsBench.java batches    URL TOKEN USER_ID JDBC_URL DB_USER DB_PASSWORD JOBS CONCURRENCY PER_BATCH
 * </pre>
 *
 * throughput: JOBS submitted by CONCURRENCY clients at once; waits until none of this run's jobs is
 * unfinished; prints submit and end-to-end rates, wait (created to started) and run times. With
 * KILL_PID, that process is killed with SIGKILL once KILL_AFTER jobs have succeeded (the kill -9 run),
 * and the run reports jobs lost and jobs started more than once. batches: the same with
 * {@code POST /api/v1/jobs/batch} of PER_BATCH jobs per request (submit latencies are per request). pickup: JOBS one at a time on an idle
 * worker, each submitted after the previous one finished plus an idle gap of 20-80 ms; prints the pickup
 * latency (created to started) p50/p99. Output: "key=value" lines for run.sh.
 */
public class JobsBench {

    private static final String BODY = "{\"type\":\"noop\",\"payload\":{}}";

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String mode = args[0];
        Target target = new Target(URI.create(args[1]), args[2], UUID.fromString(args[3]), args[4], args[5], args[6]);
        int jobs = Integer.parseInt(args[7]);
        switch (mode) {
            case "throughput" -> throughput(target, jobs, Integer.parseInt(args[8]),
                    args.length > 9 ? Long.parseLong(args[9]) : 0, args.length > 10 ? Integer.parseInt(args[10]) : 0, 1);
            case "pickup" -> pickup(target, jobs);
            case "batches" -> throughput(target, jobs, Integer.parseInt(args[8]), 0, 0, Integer.parseInt(args[9]));
            default -> throw new IllegalArgumentException("mode: throughput or pickup");
        }
    }

    record Target(URI api, String token, UUID user, String jdbcUrl, String dbUser, String dbPassword) {
    }

    /** {@code perRequest} 1: {@code POST /api/v1/jobs} per job; more: {@code POST /api/v1/jobs/batch} of that many. */
    private static void throughput(Target target, int jobs, int concurrency, long killPid, int killAfter, int perRequest)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicInteger accepted = new AtomicInteger();
        int requests = (jobs + perRequest - 1) / perRequest;
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        String[] failureSample = new String[1];
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests) {
                        long t0 = System.nanoTime();
                        int count = Math.min(perRequest, jobs - i * perRequest);
                        try {
                            HttpResponse<String> response = http.send(perRequest == 1 ? submit(target) : batch(target, count),
                                    HttpResponse.BodyHandlers.ofString());
                            latencies[i] = System.nanoTime() - t0;
                            if (response.statusCode() == 202) {
                                accepted.addAndGet(count);
                            } else if (failures.getAndIncrement() == 0) {
                                failureSample[0] = response.statusCode() + " " + response.body();
                            }
                        } catch (Exception e) {
                            latencies[i] = System.nanoTime() - t0;
                            if (failures.getAndIncrement() == 0) {
                                failureSample[0] = e.toString();
                            }
                        }
                    }
                    return null;
                });
            }
            if (killPid > 0) {
                pool.submit(() -> killWhen(target, killAfter, killPid));
            }
        }
        double submitSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("submitted=%d%naccepted=%d%nsubmit_failures=%d%n", jobs, accepted.get(), failures.get());
        if (failureSample[0] != null) {
            System.out.printf("submit_failure_sample=%s%n", failureSample[0].replace('\n', ' '));
        }
        Arrays.sort(latencies);
        System.out.printf("submit_seconds=%.2f%nsubmit_rate=%.0f%nsubmit_p50_ms=%.2f%nsubmit_p99_ms=%.2f%n", submitSeconds,
                accepted.get() / submitSeconds, latencies[requests / 2] / 1e6, latencies[(int) (requests * 0.99)] / 1e6);
        try (Connection db = DriverManager.getConnection(target.jdbcUrl(), target.dbUser(), target.dbPassword())) {
            Duration limit = Duration.ofSeconds(Math.max(120, jobs / 50));
            long deadline = System.nanoTime() + limit.toNanos();
            int unfinished;
            while ((unfinished = unfinished(db, target.user())) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100); // polling for the end; the figures come from the database's timestamps
            }
            System.out.printf("unfinished_after_wait=%d%nwall_seconds=%.1f%n", unfinished, (System.nanoTime() - started) / 1e9);
            report(db, target.user(), accepted.get());
        }
    }

    private static Object killWhen(Target target, int after, long pid) throws Exception {
        try (Connection db = DriverManager.getConnection(target.jdbcUrl(), target.dbUser(), target.dbPassword())) {
            while (count(db, target.user(), "status = 'SUCCEEDED'") < after) {
                Thread.sleep(20);
            }
            long running = count(db, target.user(), "status = 'RUNNING'");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            System.out.printf("killed_pid=%d%nkilled_with_running=%d%n", pid, running);
        }
        return null;
    }

    private static void pickup(Target target, int jobs) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Connection db = DriverManager.getConnection(target.jdbcUrl(), target.dbUser(), target.dbPassword())) {
            for (int i = 0; i < jobs; i++) {
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 81)); // the idle gap: the worker waits for work
                HttpResponse<String> response = http.send(submit(target), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("submit answered " + response.statusCode() + ": " + response.body());
                }
                UUID id = UUID.fromString(idOf(response.body()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!finished(db, id)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("job " + id + " did not finish in 30 s");
                    }
                    Thread.sleep(2);
                }
            }
            double[] pickup = millis(db, target.user(), "started_at - created_at");
            System.out.printf("pickup_jobs=%d%npickup_p50_ms=%.2f%npickup_p99_ms=%.2f%npickup_max_ms=%.2f%n", pickup.length,
                    pickup[pickup.length / 2], pickup[(int) (pickup.length * 0.99)], pickup[pickup.length - 1]);
        }
    }

    private static HttpRequest submit(Target target) {
        return HttpRequest.newBuilder(target.api().resolve("/api/v1/jobs")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + target.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static HttpRequest batch(Target target, int count) {
        String body = "{\"jobs\":[" + String.join(",", java.util.Collections.nCopies(count, BODY)) + "]}";
        return HttpRequest.newBuilder(target.api().resolve("/api/v1/jobs/batch")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + target.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String idOf(String body) {
        int at = body.indexOf("\"id\":\"");
        return body.substring(at + 6, body.indexOf('"', at + 6));
    }

    static void report(Connection db, UUID user, long accepted) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("""
                SELECT count(*) FILTER (WHERE status = 'SUCCEEDED'),
                       count(*) FILTER (WHERE status = 'RUNNING'),
                       count(*) FILTER (WHERE status NOT IN ('SUCCEEDED', 'RUNNING')),
                       count(*) FILTER (WHERE attempts > 1),
                       extract(epoch FROM max(finished_at) - min(created_at)),
                       count(*)
                FROM job WHERE user_id = ?""")) {
            query.setObject(1, user);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long succeeded = row.getLong(1);
                double seconds = row.getDouble(5);
                System.out.printf("stored=%d%nsucceeded=%d%nleft_running=%d%nother_status=%d%nstarted_more_than_once=%d%n",
                        row.getLong(6), succeeded, row.getLong(2), row.getLong(3), row.getLong(4));
                System.out.printf("lost=%d%nend_to_end_seconds=%.2f%nend_to_end_rate=%.0f%n", accepted - row.getLong(6), seconds,
                        seconds > 0 ? succeeded / seconds : 0);
            }
        }
        double[] wait = millis(db, user, "started_at - created_at");
        double[] run = millis(db, user, "finished_at - started_at");
        System.out.printf("wait_p50_ms=%.1f%nwait_p99_ms=%.1f%nrun_p50_ms=%.2f%nrun_p99_ms=%.2f%n", wait[wait.length / 2],
                wait[(int) (wait.length * 0.99)], run[run.length / 2], run[(int) (run.length * 0.99)]);
    }

    private static double[] millis(Connection db, UUID user, String interval) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT extract(epoch FROM " + interval
                + ") * 1000 FROM job WHERE user_id = ? AND finished_at IS NOT NULL ORDER BY 1")) {
            query.setObject(1, user);
            List<Double> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getDouble(1));
                }
            }
            return values.isEmpty() ? new double[] {0} : values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static boolean finished(Connection db, UUID job) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT finished_at IS NOT NULL FROM job WHERE id = ?")) {
            query.setObject(1, job);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    static int unfinished(Connection db, UUID user) throws SQLException {
        return (int) count(db, user, "status NOT IN ('SUCCEEDED', 'FAILED', 'DEAD', 'CANCELLED')");
    }

    private static long count(Connection db, UUID user, String condition) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM job WHERE user_id = ? AND " + condition)) {
            query.setObject(1, user);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
