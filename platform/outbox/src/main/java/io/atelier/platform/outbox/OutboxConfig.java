package io.atelier.platform.outbox;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "atelier.outbox")
public interface OutboxConfig {

    /** How often the relay looks for unsent events besides the wake-up after each commit. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Events read, sent and marked in one relay transaction. */
    @WithDefault("200")
    int batchSize();

    /**
     * How long the relay waits for the broker to acknowledge one batch before it retries later.
     * Keep it above the producer's {@code delivery-timeout}, so that every send has settled
     * (delivered or failed) before the relay gives up on a batch.
     */
    @WithDefault("30s")
    Duration sendTimeout();

    /** Longest pause between attempts while the broker is unreachable (backoff doubles up to this). */
    @WithDefault("10s")
    Duration maxBackoff();

    /** CloudEvents {@code source}; defaults to {@code quarkus.application.name}. */
    Optional<String> source();

    /** Sent events are kept this long (for inspection and replay), then deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** Consumed event ids are remembered this long; a redelivery older than that would be applied again. */
    @WithDefault("P14D")
    Duration dedupeRetention();

    /** How often old sent events and consumed ids are deleted. */
    @WithDefault("1h")
    Duration cleanupInterval();

    /** The relay's Kafka producer ({@code acks=all} and idempotence are fixed). */
    Producer producer();

    interface Producer {

        /**
         * {@code linger.ms}: a batch's records wait this long for company before they go out. 0 (Kafka 4's default
         * is 5 ms): a relay pass sends its whole batch at once, so waiting gains nothing and would add the linger to
         * every event's commit-to-broker time; under load, batches still form while earlier sends are in flight.
         */
        @WithDefault("0ms")
        Duration linger();

        /**
         * {@code max.block.ms}: the longest a send waits for metadata or buffer room before it fails. Short, so a
         * broker that is away fails the pass within seconds: the rows stay unsent and are retried.
         */
        @WithDefault("5s")
        Duration maxBlock();

        /** {@code request.timeout.ms}. */
        @WithDefault("5s")
        Duration requestTimeout();

        /**
         * {@code delivery.timeout.ms}: a send is failed after this, acknowledged or not. Keep it below
         * {@link OutboxConfig#sendTimeout()}.
         */
        @WithDefault("15s")
        Duration deliveryTimeout();
    }
}
