import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Jobs submitted in batches: JOBS no-op job requests produced to {@code jobs.requests} as binary-mode
 * CloudEvents (what other services send), batched by the Kafka producer ({@code acks=all}); then waits
 * until none of the user's jobs is unfinished and reports like {@link JobsBench}.
 *
 * <pre>
 * java -cp classes:postgresql.jar:kafka-clients.jar:slf4j-api.jar RequestsBench BOOTSTRAP USER_ID JDBC_URL DB_USER DB_PASSWORD JOBS
 * </pre>
 */
public class RequestsBench {

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String bootstrap = args[0];
        UUID user = UUID.fromString(args[1]);
        int jobs = Integer.parseInt(args[5]);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        AtomicInteger failed = new AtomicInteger();
        String value = "{\"type\":\"noop\",\"payload\":{},\"userId\":\"" + user + "\"}";
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < jobs; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>("jobs.requests", user.toString(), value);
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", UUID.randomUUID().toString());
                header(record, "ce_source", "/bench/jobs");
                header(record, "ce_type", "jobs.job.requested");
                header(record, "ce_subject", user.toString());
                header(record, "ce_time", Instant.now().toString());
                header(record, "content-type", "application/json");
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("produced=%d%nproduce_failures=%d%nproduce_seconds=%.2f%nproduce_rate=%.0f%n", jobs, failed.get(),
                seconds, jobs / seconds);
        try (Connection db = DriverManager.getConnection(args[2], args[3], args[4])) {
            long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(120, jobs / 50)).toNanos();
            int unfinished = 0;
            while (System.nanoTime() < deadline && ((unfinished = JobsBench.unfinished(db, user)) > 0 || stored(db, user) < jobs)) {
                Thread.sleep(100); // polling for the end; the figures come from the database's timestamps
            }
            System.out.printf("unfinished_after_wait=%d%nwall_seconds=%.1f%n", unfinished, (System.nanoTime() - started) / 1e9);
            JobsBench.report(db, user, jobs - failed.get());
        }
    }

    private static long stored(Connection db, UUID user) throws Exception {
        try (var query = db.prepareStatement("SELECT count(*) FROM job WHERE user_id = ?")) {
            query.setObject(1, user);
            try (var row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
