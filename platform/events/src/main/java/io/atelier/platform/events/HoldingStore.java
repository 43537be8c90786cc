package io.atelier.platform.events;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * How a consumer stores a record before its offset moves on: nothing read is lost, and nothing behind it
 * overtakes it. One attempt usually does it. When the database fails, the record is held and tried again
 * with backoff ({@link Backoff}) until the database takes it; when the database refuses the record's values
 * for good ({@link StoreFailures}), or the consumer says the failure is the record's own, it is refused:
 * the consumer counts it, logs it and acknowledges it, since retrying would hold the partition forever. If
 * the application stops while a record is held, the consumer hands it back ({@code nack}): it comes again
 * after the restart.
 *
 * <p>One per consumer; call {@link #stop()} when the application shuts down (observe {@code ShutdownEvent}).
 */
public final class HoldingStore {

    private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Why a record is skipped rather than retried: a reason tag for a metric, and a detail for the log. */
    public record Refusal(String reason, String detail) {
    }

    /** One attempt to store; throws when it failed. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /** What storing a record came to. */
    public sealed interface Outcome<T> {
        /** Stored (or found stored before): acknowledge the record. */
        record Stored<T>(T value) implements Outcome<T> {
        }

        /** The record's own fault: count it, log it, acknowledge it. */
        record Refused<T>(Refusal refusal) implements Outcome<T> {
        }

        /** The application stops while the record is held: hand it back ({@code nack(failure)}). */
        record Stopped<T>(Exception failure) implements Outcome<T> {
        }
    }

    private final String name;
    private final Duration maxBackoff;
    private final Runnable onRetry;
    private final CountDownLatch stopping = new CountDownLatch(1);

    /**
     * @param name how the consumer is called in log lines
     * @param maxBackoff the longest pause between attempts
     * @param onRetry counts each failed attempt that is retried
     */
    public HoldingStore(String name, Duration maxBackoff, Runnable onRetry) {
        this.name = name;
        this.maxBackoff = maxBackoff;
        this.onRetry = onRetry;
    }

    /**
     * Runs {@code attempt} until it returns, unless the failure is refused: first by {@code refuse} (null:
     * not the record's fault), then when the database refuses the values for good. Blocking.
     *
     * @param what the record as log lines name it (no value from the payload)
     */
    public <T> Outcome<T> store(String what, Attempt<T> attempt, Function<Exception, Refusal> refuse) {
        Duration backoff = Duration.ZERO;
        for (int attempts = 1;; attempts++) {
            try {
                T value = attempt.run();
                if (attempts > 1) {
                    Log.infof("%s: the database takes records again; stored %s at attempt %d", name, what, attempts);
                }
                return new Outcome.Stored<>(value);
            } catch (Exception e) {
                Refusal refusal = refuse.apply(e);
                if (refusal == null && StoreFailures.isPermanent(e)) {
                    // The state or the kind only: a message may quote the refused value.
                    refusal = new Refusal("unstorable", StoreFailures.sqlState(e) != null
                            ? "the database refuses its values for good (SQLSTATE " + StoreFailures.sqlState(e) + ")"
                            : "a value it lacks or cannot hold (" + e.getClass().getSimpleName() + ")");
                }
                if (refusal != null) {
                    return new Outcome.Refused<>(refusal);
                }
                onRetry.run();
                backoff = Backoff.next(backoff, maxBackoff);
                if (attempts == 1) {
                    Log.warnf(e, "%s: could not store %s; holding it and retrying until the database takes it", name, what);
                } else {
                    Log.debugf("%s: still cannot store %s, next attempt in %s: %s", name, what, backoff, e);
                }
                if (stoppingWithin(backoff)) {
                    Log.infof("%s: stopping; %s was not stored and comes again after the restart", name, what);
                    return new Outcome.Stopped<>(e);
                }
            }
        }
    }

    /** The application stops: a held record is handed back at once. */
    public void stop() {
        stopping.countDown();
    }

    /** Where the record sits, and its key when that is a UUID: what an operator needs to find it. */
    public static String position(Message<?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(kafka -> kafka.getTopic() + "-" + kafka.getPartition() + "@" + kafka.getOffset()
                        + (kafka.getKey() instanceof String key && isUuid(key) ? " (key " + key + ")" : ""))
                .orElse("(no Kafka metadata)");
    }

    /** Ids and types come from whoever wrote the record: never a line break or a kilobyte in a log line. */
    public static String loggable(String text) {
        return text != null && LOGGABLE.matcher(text).matches() ? text : "(unprintable)";
    }

    private boolean stoppingWithin(Duration pause) {
        try {
            return stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
