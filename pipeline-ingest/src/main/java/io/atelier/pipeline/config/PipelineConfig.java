package io.atelier.pipeline.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every pipeline-ingest setting; each is overridable by env var (ATELIER_PIPELINE_...). docs/pipeline.md lists them. */
@ConfigMapping(prefix = "atelier.pipeline")
public interface PipelineConfig {

    Limits limits();

    /**
     * Source write keys by source name, e.g. {@code atelier.pipeline.write-keys.web.sha256=<hex>}: the key itself
     * is never configured, only its SHA-256. A source sends {@code Authorization: Basic base64(<key>:)}.
     */
    Map<String, WriteKey> writeKeys();

    RateLimits rateLimits();

    Dedup dedup();

    Kafka kafka();

    interface Limits {
        /** The largest event, as compact JSON in UTF-8 after its field names are made snake_case. */
        @WithDefault("32768")
        int maxEventBytes();

        /** The most events in one batch. */
        @WithDefault("500")
        int maxBatchEvents();

        /**
         * The largest batch body. The HTTP limits refuse larger bodies before they are read; keep
         * {@code atelier.http.max-json-body} and {@code quarkus.http.limits.max-body-size} at this value.
         */
        @WithDefault("1048576")
        int maxBatchBytes();

        /** How far an event's {@code timestamp} may lie ahead of the server's clock. */
        @WithDefault("24h")
        Duration maxFuture();
    }

    interface WriteKey {
        /** SHA-256 of the key, 64 hex digits. */
        String sha256();
    }

    interface RateLimits {
        UserLimit user();

        KeyLimit writeKey();
    }

    /** Events a signed-in user may send (each event is one cell; a batch takes as many as it holds). */
    interface UserLimit {
        @WithDefault("100")
        long permits();

        @WithDefault("1s")
        Duration period();

        /** At least {@code limits.max-batch-events}, or a full batch could never pass. */
        @WithDefault("1000")
        long burst();
    }

    /** Events one write key (one source, all its senders together) may send. */
    interface KeyLimit {
        @WithDefault("2000")
        long permits();

        @WithDefault("1s")
        Duration period();

        @WithDefault("10000")
        long burst();
    }

    interface Dedup {
        /** How long an accepted event id is remembered; the same id again within it is answered as a duplicate. */
        @WithDefault("24h")
        Duration window();

        /** The longest wait for Redis per dedup call; then the intake goes on without dedup (fails open). */
        @WithDefault("500ms")
        Duration timeout();
    }

    interface Kafka {
        /**
         * The longest a request waits for the broker's acknowledgement of its events; then 503. The producer's own
         * {@code delivery.timeout.ms} (4 s) and {@code max.block.ms} (1 s) end a send a little earlier.
         */
        @WithDefault("5s")
        Duration ackTimeout();

        /** Events sent and not yet acknowledged, across all requests of this instance; beyond it, 503 at once. */
        @WithDefault("20000")
        int maxPendingEvents();

        /** The {@code Retry-After} of a 503 when the broker did not take the events. */
        @WithDefault("5s")
        Duration retryAfter();

        /**
         * The {@code events.raw} producer ({@code RawEventProducer}: one plain, idempotent {@code acks=all}
         * KafkaProducer per instance, {@code kafka.bootstrap.servers} as every Kafka client of the service).
         */
        Producer producer();
    }

    interface Producer {
        /**
         * {@code linger.ms}. 0: a single event's request waits for its acknowledgement, and any linger is paid by
         * every one of them; batches still form while earlier sends are in flight.
         */
        @WithDefault("0ms")
        Duration linger();

        /** {@code batch.size}, bytes per partition batch. */
        @WithDefault("262144")
        int batchSize();

        /** {@code buffer.memory}: bytes of records waiting for the broker; a full buffer makes a send wait (max-block). */
        @WithDefault("33554432")
        long bufferMemory();

        /** {@code max.block.ms}: the longest a send waits for metadata or buffer room before it fails. */
        @WithDefault("1s")
        Duration maxBlock();

        /** {@code request.timeout.ms}. */
        @WithDefault("2s")
        Duration requestTimeout();

        /** {@code delivery.timeout.ms}: a send is failed after this, acknowledged or not (at least linger + request timeout). */
        @WithDefault("4s")
        Duration deliveryTimeout();

        /** {@code compression.type} (none, gzip, snappy, lz4, zstd). */
        @WithDefault("none")
        String compression();
    }
}
