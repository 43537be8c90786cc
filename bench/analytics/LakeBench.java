import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * bench/analytics: the lake's loader throughput, query latency through the API and the same questions in PostgreSQL.
 * Subcommands (run.sh calls them in order):
 *   produce BOOTSTRAP TOPIC N                         N enriched product events on a new bench topic
 *   await-loaded JDBC USER PASSWORD LAKE N            waits until the lake's manifest holds N rows; prints timings
 *   generate DIR N DAYS START JDBC USER PASSWORD LAKE  N events over DAYS days as the loader would lay them out, registered in the manifest
 *   http BASE TOKEN FROM TO REPS [ANSWERS]            p50/p99 of each endpoint (and each answer's SHA-256 into ANSWERS)
 *   pg-load JDBC USER PASSWORD TABLE N DAYS START     the same N events into a PostgreSQL table with indexes
 *   pg-queries JDBC USER PASSWORD TABLE FROM TO REPS  p50/p99 of the same questions in PostgreSQL
 *   pg-drop JDBC USER PASSWORD TABLE | drop-topic BOOTSTRAP TOPIC
 */
public class LakeBench {

    static final int PG_TIMEOUT_S = 120;

    // The generated data set: a pure function of the row number i, spelled the same way in DuckDB and PostgreSQL.
    //   occurred_at = START + i * (DAYS days / N); type = product types and domain types by i % 10;
    //   user = 'u' || (i * 7919) % 100000; page = '/p' || (i * 31) % 200; action = 'a' || i % 7.
    static String duckRows(long n, int days, String start) {
        return "SELECT 'e' || i AS event_id, CASE WHEN i % 10 < 8 THEN 'events.enriched' WHEN i % 10 = 8 THEN 'content.events' "
                + "ELSE 'jobs.status' END AS topic, "
                + "TIMESTAMP '" + start + " 00:00:00' + to_microseconds(CAST(i * (" + days + " * 86400000000 // " + n + ") AS BIGINT)) AS occurred_at, "
                + "TIMESTAMP '" + start + " 00:00:00' + to_microseconds(CAST(i * (" + days + " * 86400000000 // " + n + ") AS BIGINT)) AS received_at, "
                + "'u' || ((i * 7919) % 100000) AS user_id, 'web' AS source, 'e' || i AS subject, NULL::VARCHAR AS display_name, "
                + "CASE WHEN i % 10 < 8 THEN '{\"page\":\"/p' || ((i * 31) % 200) || '\",\"action\":\"a' || (i % 7) || '\"}' "
                + "ELSE '{\"status\":\"' || CASE WHEN i % 3 = 0 THEN 'SUCCEEDED' ELSE 'RUNNING' END || '\"}' END AS payload, "
                + "CAST(i % 3 AS INTEGER) AS kafka_partition, i AS kafka_offset, "
                + "CASE WHEN i % 10 < 5 THEN 'page_view' WHEN i % 10 < 8 THEN 'user_action' WHEN i % 10 = 8 THEN 'content.post.created' "
                + "ELSE 'jobs.job.status-changed' END AS type FROM range(" + n + ") t(i)";
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce" -> produce(args[1], args[2], Long.parseLong(args[3]));
            case "await-loaded" -> awaitLoaded(args[1], args[2], args[3], args[4], Long.parseLong(args[5]));
            case "generate" -> generate(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), args[4], args[5], args[6], args[7], args[8]);
            case "http" -> http(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), args.length > 6 ? Path.of(args[6]) : null);
            case "pg-load" -> pgLoad(args[1], args[2], args[3], args[4], Long.parseLong(args[5]), Integer.parseInt(args[6]), args[7]);
            case "pg-queries" -> pgQueries(args[1], args[2], args[3], args[4], args[5], args[6], Integer.parseInt(args[7]));
            case "pg-drop" -> pgDrop(args[1], args[2], args[3], args[4]);
            case "drop-topic" -> dropTopic(args[1], args[2]);
            case "forget-lake" -> forgetLake(args[1], args[2], args[3], args[4]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void produce(String bootstrap, String topic, long n) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "1");
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("buffer.memory", "67108864");
        long started = System.nanoTime();
        Instant base = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            Future<RecordMetadata> last = null;
            for (long i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                String user = "u" + (i * 7919 % 100000);
                Instant at = base.plusMillis(i * 50 % 86_400_000L);
                String type = i % 2 == 0 ? "page_view" : "user_action";
                String value = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"timestamp\":\"" + at + "\",\"user_id\":\""
                        + user + "\",\"data\":{\"page\":\"/p" + (i * 31 % 200) + "\",\"action\":\"a" + (i % 7) + "\"},"
                        + "\"metadata\":{\"source\":\"web\",\"version\":\"1.0\"},\"enrichment\":{\"received_at\":\"" + at
                        + "\",\"source\":\"web\",\"sender\":\"user:" + user + "\",\"user\":{\"display_name\":\"User " + user
                        + "\",\"signed_up_at\":\"2026-01-01T00:00:00Z\"}}}";
                RecordHeaders h = new RecordHeaders();
                h.add("ce_specversion", "1.0".getBytes());
                h.add("ce_id", id.getBytes());
                h.add("ce_type", "pipeline.event.enriched".getBytes());
                h.add("ce_source", "pipeline-ingest".getBytes());
                h.add("ce_subject", id.getBytes());
                h.add("ce_time", at.toString().getBytes());
                last = producer.send(new ProducerRecord<>(topic, null, user, value, h));
            }
            producer.flush();
            last.get();
        }
        System.out.printf("produced=%d%nproduce_seconds=%.1f%n", n, (System.nanoTime() - started) / 1e9);
    }

    static void awaitLoaded(String jdbc, String user, String password, String lake, long n) throws Exception {
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
            while (true) {
                try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(rows), 0), count(*), coalesce(sum(bytes), 0), "
                        + "min(created_at), max(created_at), (SELECT min(rows) FROM lake_file WHERE lake = ? AND created_at = "
                        + "(SELECT min(created_at) FROM lake_file WHERE lake = ?)) FROM lake_file WHERE lake = ? AND state = 'live'")) {
                    s.setString(1, lake);
                    s.setString(2, lake);
                    s.setString(3, lake);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        long rows = r.getLong(1);
                        if (rows >= n) {
                            double wall = (System.nanoTime() - started) / 1e9;
                            Instant first = r.getTimestamp(4).toInstant();
                            Instant lastAt = r.getTimestamp(5).toInstant();
                            // Batches commit in order; the first batch's rows were read before its commit, so the steady
                            // rate counts the rows after it over the time from its commit to the last commit.
                            try (PreparedStatement b = c.prepareStatement("SELECT created_at, sum(rows) FROM lake_file WHERE lake = ? "
                                    + "GROUP BY created_at ORDER BY created_at")) {
                                b.setString(1, lake);
                                List<long[]> batches = new ArrayList<>();
                                try (ResultSet br = b.executeQuery()) {
                                    while (br.next()) {
                                        batches.add(new long[] { br.getTimestamp(1).toInstant().toEpochMilli(), br.getLong(2) });
                                    }
                                }
                                // The last batch closes by age (30 s after its first row), so the steady span runs from the
                                // first batch's commit to the second-to-last's: the rows of the batches in between.
                                int end = Math.max(1, batches.size() - 2);
                                long afterFirst = 0;
                                for (int i = 1; i <= end && i < batches.size(); i++) {
                                    afterFirst += batches.get(i)[1];
                                }
                                double span = (batches.get(Math.min(end, batches.size() - 1))[0] - batches.get(0)[0]) / 1000.0;
                                System.out.printf("loaded_rows=%d%nfiles=%d%nlake_bytes=%d%nbatches=%d%nwait_seconds=%.1f%n"
                                        + "steady_rows_per_s=%.0f%n", rows, r.getLong(2), r.getLong(3), batches.size(), wall,
                                        span > 0 ? afterFirst / span : Double.NaN);
                            }
                            return;
                        }
                    }
                }
                if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("not loaded within 10 minutes");
                }
                Thread.sleep(100);
            }
        }
    }

    static void generate(Path dir, long n, int days, String start, String jdbc, String user, String password, String lake)
            throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(dir);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("SET preserve_insertion_order = false");
            s.execute("COPY (SELECT *, CAST(occurred_at AS DATE) AS date FROM (" + duckRows(n, days, start) + ") ORDER BY date, type, "
                    + "occurred_at) TO '" + dir + "' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (date, type), FILENAME_PATTERN 'gen_{i}', "
                    + "OVERWRITE_OR_IGNORE)");
        }
        List<Path> files;
        try (Stream<Path> found = Files.find(dir, 3, (p, a) -> a.isRegularFile() && p.toString().endsWith(".parquet"))) {
            files = found.sorted().toList();
        }
        long bytes = 0;
        try (Connection c = DriverManager.getConnection(jdbc, user, password);
                Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement insert = c.prepareStatement("INSERT INTO lake_file (lake, path, day, type, rows, bytes, state, "
                        + "hours_counted) VALUES (?, ?, ?, ?, ?, ?, 'live', true)");
                PreparedStatement hours = c.prepareStatement("INSERT INTO lake_file_hour (lake, path, hour, topic, rows) "
                        + "VALUES (?, ?, ?, ?, ?)")) {
            for (Path file : files) {
                String rel = dir.relativize(file).toString();
                String[] parts = rel.split("/");
                long rows;
                try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
                    r.next();
                    rows = r.getLong(1);
                }
                insert.setString(1, lake);
                insert.setString(2, rel);
                insert.setDate(3, java.sql.Date.valueOf(LocalDate.parse(parts[0].substring(5))));
                insert.setString(4, parts[1].substring(5));
                insert.setLong(5, rows);
                insert.setLong(6, Files.size(file));
                insert.addBatch();
                bytes += Files.size(file);
                // The hour counts, as the loader records them (ParquetFiles.hours: counted from the file).
                try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery("SELECT date_trunc('hour', occurred_at) AS h, "
                        + "topic, count(*) FROM read_parquet('" + file + "', hive_partitioning = false) GROUP BY h, topic")) {
                    while (r.next()) {
                        hours.setString(1, lake);
                        hours.setString(2, rel);
                        hours.setObject(3, r.getObject(1, java.time.LocalDateTime.class));
                        hours.setString(4, r.getString(2));
                        hours.setLong(5, r.getLong(3));
                        hours.addBatch();
                    }
                }
            }
            insert.executeBatch();
            hours.executeBatch();
        }
        System.out.printf("generated_rows=%d%ngenerated_files=%d%ngenerated_bytes=%d%ngenerate_seconds=%.1f%n", n, files.size(), bytes,
                (System.nanoTime() - started) / 1e9);
    }

    record Call(String name, String path) {
    }

    static List<Call> calls(String from, String to) {
        String range = "from=" + from + "&to=" + to;
        String week = "from=" + from + "&to=" + LocalDate.parse(from).plusDays(7);
        return List.of(new Call("events/counts hour, 30 days", "/api/v1/analytics/events/counts?interval=hour&" + range),
                new Call("events/counts hour by type, 30 days", "/api/v1/analytics/events/counts?interval=hour&groupBy=type&" + range),
                new Call("events/counts day by data.page, page_view, 30 days",
                        "/api/v1/analytics/events/counts?interval=day&eventType=page_view&groupBy=data.page&" + range),
                new Call("users/active day, 30 days", "/api/v1/analytics/users/active?interval=day&" + range),
                new Call("top data.page, 30 days", "/api/v1/analytics/top?field=data.page&limit=10&" + range),
                new Call("funnel page_view,user_action:a3 within 1h, 7 days",
                        "/api/v1/analytics/funnel?steps=page_view,user_action:a3&within=1h&" + week),
                new Call("domain/counts jobs.status day by data.status, 30 days",
                        "/api/v1/analytics/domain/counts?topic=jobs.status&interval=day&groupBy=data.status&" + range));
    }

    static void http(String base, String token, String from, String to, int reps, Path answers) throws Exception {
        List<String> digests = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.println("| endpoint | p50 ms | p99 ms | max ms | answer |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Call call : calls(from, to)) {
            long[] ms = new long[reps];
            String body = "";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + call.path())).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60)).GET().build();
            client.send(request, HttpResponse.BodyHandlers.ofString()); // warm: plan and file footers
            for (int i = 0; i < reps; i++) {
                long t = System.nanoTime();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                ms[i] = (System.nanoTime() - t) / 1_000_000;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(call.path() + " -> " + response.statusCode() + " " + response.body());
                }
                body = response.body();
            }
            Arrays.sort(ms);
            digests.add(call.name() + "\t" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            System.out.printf("| %s | %d | %d | %d | %s |%n", call.name(), ms[reps / 2], ms[Math.min(reps - 1, (int) Math.ceil(reps * 0.99) - 1)],
                    ms[reps - 1], summary(body));
        }
        if (answers != null) {
            Files.write(answers, digests); // each answer's SHA-256, to compare the instances' answers
        }
    }

    static String summary(String body) {
        int points = body.split("\"bucket\"", -1).length - 1;
        int items = body.split("\"value\"", -1).length - 1;
        String shown = body.length() > 90 ? body.substring(0, 90) + "…" : body;
        return (points > 0 ? points + " points; " : items > 0 ? items + " items; " : "") + "`" + shown.replace("|", "\\|") + "`";
    }

    static void pgLoad(String jdbc, String user, String password, String table, long n, int days, String start) throws Exception {
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE UNLOGGED TABLE " + table + " (event_id text, topic text, type text, occurred_at timestamp, user_id text, "
                    + "payload jsonb)");
            long chunk = 1_000_000;
            for (long from = 0; from < n; from += chunk) {
                long to = Math.min(n, from + chunk) - 1;
                s.execute("INSERT INTO " + table + " SELECT 'e' || i, CASE WHEN i % 10 < 8 THEN 'events.enriched' WHEN i % 10 = 8 "
                        + "THEN 'content.events' ELSE 'jobs.status' END, CASE WHEN i % 10 < 5 THEN 'page_view' WHEN i % 10 < 8 THEN "
                        + "'user_action' WHEN i % 10 = 8 THEN 'content.post.created' ELSE 'jobs.job.status-changed' END, "
                        + "TIMESTAMP '" + start + " 00:00:00' + (i * (" + days + "::bigint * 86400000000 / " + n + ")) * INTERVAL '1 microsecond', "
                        + "'u' || ((i * 7919) % 100000), CASE WHEN i % 10 < 8 THEN jsonb_build_object('page', '/p' || ((i * 31) % 200), "
                        + "'action', 'a' || (i % 7)) ELSE jsonb_build_object('status', CASE WHEN i % 3 = 0 THEN 'SUCCEEDED' ELSE 'RUNNING' "
                        + "END) END FROM generate_series(" + from + "::bigint, " + to + "::bigint) i");
            }
            double load = (System.nanoTime() - started) / 1e9;
            long indexStarted = System.nanoTime();
            s.execute("CREATE INDEX ON " + table + " (topic, occurred_at)");
            s.execute("CREATE INDEX ON " + table + " (user_id, occurred_at)");
            s.execute("ANALYZE " + table);
            double index = (System.nanoTime() - indexStarted) / 1e9;
            try (ResultSet r = s.executeQuery("SELECT pg_table_size('" + table + "'), pg_indexes_size('" + table + "')")) {
                r.next();
                System.out.printf("pg_load_seconds=%.1f%npg_index_seconds=%.1f%npg_table_bytes=%d%npg_index_bytes=%d%n", load, index,
                        r.getLong(1), r.getLong(2));
            }
        }
    }

    static void pgQueries(String jdbc, String user, String password, String table, String from, String to, int reps) throws Exception {
        String range = "occurred_at >= TIMESTAMP '" + from + "' AND occurred_at < TIMESTAMP '" + to + "'";
        String week = "occurred_at >= TIMESTAMP '" + from + "' AND occurred_at < TIMESTAMP '" + LocalDate.parse(from).plusDays(7) + "'";
        String p = "topic = 'events.enriched' AND ";
        List<String[]> queries = List.of(
                new String[] { "events/counts hour, 30 days", "SELECT date_trunc('hour', occurred_at) b, count(*) FROM " + table + " WHERE " + p + range + " GROUP BY b ORDER BY b" },
                new String[] { "events/counts hour by type, 30 days", "SELECT date_trunc('hour', occurred_at) b, type, count(*) FROM " + table + " WHERE " + p + range + " GROUP BY b, type ORDER BY b, type" },
                new String[] { "events/counts day by data.page, page_view, 30 days", "SELECT date_trunc('day', occurred_at) b, payload->>'page' g, count(*) FROM " + table + " WHERE " + p + range + " AND type = 'page_view' GROUP BY b, g ORDER BY b, g" },
                new String[] { "users/active day, 30 days", "SELECT date_trunc('day', occurred_at) b, count(DISTINCT user_id) FROM " + table + " WHERE " + p + range + " GROUP BY b ORDER BY b" },
                new String[] { "top data.page, 30 days", "SELECT payload->>'page' v, count(*) n FROM " + table + " WHERE " + p + range + " GROUP BY v HAVING payload->>'page' IS NOT NULL ORDER BY n DESC, v LIMIT 10" },
                new String[] { "funnel page_view,user_action:a3 within 1h, 7 days", "WITH ev AS (SELECT user_id, type, payload->>'action' action, occurred_at FROM " + table + " WHERE " + p + week
                        + "), s1 AS (SELECT user_id, min(occurred_at) t1, min(occurred_at) t FROM ev WHERE type = 'page_view' GROUP BY user_id), "
                        + "s2 AS (SELECT s1.user_id, min(ev.occurred_at) t FROM s1 JOIN ev ON ev.user_id = s1.user_id AND ev.occurred_at > s1.t "
                        + "AND ev.occurred_at <= s1.t1 + INTERVAL '1 hour' AND ev.type = 'user_action' AND ev.action = 'a3' GROUP BY s1.user_id) "
                        + "SELECT (SELECT count(*) FROM s1), (SELECT count(*) FROM s2)" },
                new String[] { "domain/counts jobs.status day by data.status, 30 days", "SELECT date_trunc('day', occurred_at) b, payload->>'status' g, count(*) FROM " + table + " WHERE topic = 'jobs.status' AND " + range + " GROUP BY b, g ORDER BY b, g" });
        System.out.println("| question | p50 ms | p99 ms | max ms | rows |");
        System.out.println("| --- | --- | --- | --- | --- |");
        try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
            for (String[] q : queries) {
                long[] ms = new long[reps];
                int rows = 0;
                boolean timedOut = false;
                for (int i = 0; i < reps && !timedOut; i++) {
                    long t = System.nanoTime();
                    try (Statement s = c.createStatement()) {
                        s.execute("SET statement_timeout = '" + PG_TIMEOUT_S + "s'");
                        try (ResultSet r = s.executeQuery(q[1])) {
                            rows = 0;
                            while (r.next()) {
                                rows++;
                            }
                        }
                    } catch (java.sql.SQLException e) {
                        if (!"57014".equals(e.getSQLState())) {
                            throw e;
                        }
                        timedOut = true;
                    }
                    ms[i] = (System.nanoTime() - t) / 1_000_000;
                }
                if (timedOut) {
                    System.out.printf("| %s | > %d s (cancelled by statement_timeout) | | | |%n", q[0], PG_TIMEOUT_S);
                    continue;
                }
                Arrays.sort(ms);
                System.out.printf("| %s | %d | %d | %d | %d |%n", q[0], ms[reps / 2], ms[Math.min(reps - 1, (int) Math.ceil(reps * 0.99) - 1)],
                        ms[reps - 1], rows);
            }
        }
    }

    static void pgDrop(String jdbc, String user, String password, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    static void forgetLake(String jdbc, String user, String password, String lake) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, user, password);
                PreparedStatement files = c.prepareStatement("DELETE FROM lake_file WHERE lake = ?");
                PreparedStatement offsets = c.prepareStatement("DELETE FROM lake_offset WHERE lake = ?")) {
            files.setString(1, lake);
            files.executeUpdate();
            offsets.setString(1, lake);
            offsets.executeUpdate();
        }
    }

    static void dropTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get();
        }
    }
}
