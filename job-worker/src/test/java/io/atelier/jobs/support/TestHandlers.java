package io.atelier.jobs.support;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.atelier.jobs.handler.JobContext;
import io.atelier.jobs.handler.JobHandler;
import io.atelier.jobs.handler.PermanentJobFailure;

/** Job types that exist only in the tests' application (their schemas are under src/test/resources). */
public final class TestHandlers {

    private TestHandlers() {
    }

    /** {@code test.flaky {failures: n}}: the first n runs of a job fail (transiently), later ones succeed. */
    @ApplicationScoped
    public static class Flaky implements JobHandler {

        private final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return "test.flaky";
        }

        @Override
        public JsonNode run(JobContext job) throws IOException {
            int run = runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            if (run <= job.payload().path("failures").asInt()) {
                throw new IOException("flaky failure " + run);
            }
            return JsonNodeFactory.instance.objectNode().put("run", run).put("attempt", job.attempt())
                    .put("key", job.idempotencyKey());
        }

        public int runs(UUID job) {
            AtomicInteger count = runs.get(job);
            return count == null ? 0 : count.get();
        }
    }

    /** {@code test.permanent}: always a permanent failure. */
    @ApplicationScoped
    public static class Permanent implements JobHandler {

        @Override
        public String type() {
            return "test.permanent";
        }

        @Override
        public JsonNode run(JobContext job) {
            throw new PermanentJobFailure("this can never work");
        }
    }

    /** {@code test.slow {millis: n}}: sleeps (interruptibly), recording when each run started. */
    @ApplicationScoped
    public static class Slow implements JobHandler {

        private final List<Instant> starts = new CopyOnWriteArrayList<>();

        @Override
        public String type() {
            return "test.slow";
        }

        @Override
        public JsonNode run(JobContext job) throws InterruptedException {
            starts.add(Instant.now());
            Thread.sleep(job.payload().path("millis").asLong());
            return null;
        }

        public List<Instant> starts() {
            return List.copyOf(starts);
        }
    }
}
