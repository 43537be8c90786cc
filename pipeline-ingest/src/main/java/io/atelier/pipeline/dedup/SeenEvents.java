package io.atelier.pipeline.dedup;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.platform.web.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Event ids accepted within the dedup window, in Redis ({@code <application>:seen:<event id>}, shared by every
 * instance). An id is remembered only after the broker acknowledged its event, never before: an event is never
 * taken for seen without being on {@code events.raw}. The price is that two concurrent sends of one id can both
 * pass (both are produced); the exact dedup by {@code event_id} belongs downstream.
 *
 * <p>Redis away or slow (over {@code atelier.pipeline.dedup.timeout}): the intake goes on without dedup, counted in
 * {@code atelier.pipeline.dedup.unavailable} and logged at most every 30 s. A duplicate on the topic is cheaper
 * than refusing events.
 */
@ApplicationScoped
public class SeenEvents {

    private final ReactiveValueCommands<String, String> values;
    private final Redis redis;
    private final PipelineConfig config;
    private final String prefix;
    private final Counter unavailable;
    private final LogThrottle warnings;

    SeenEvents(ReactiveRedisDataSource redis, PipelineConfig config, MeterRegistry metrics, Clock clock,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.values = redis.value(String.class);
        this.redis = redis.getRedis();
        this.config = config;
        this.prefix = applicationName + ":seen:";
        this.unavailable = metrics.counter("atelier.pipeline.dedup.unavailable");
        this.warnings = new LogThrottle(clock, Duration.ofSeconds(30));
    }

    /** Which of these ids were accepted within the window. Blocking (one round trip). */
    public Set<String> seen(List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        String[] keys = eventIds.stream().map(id -> prefix + id).toArray(String[]::new);
        try {
            var found = values.mget(keys).await().atMost(config.dedup().timeout());
            Set<String> seen = new HashSet<>();
            for (String id : eventIds) {
                if (found.get(prefix + id) != null) {
                    seen.add(id);
                }
            }
            return seen;
        } catch (RuntimeException e) {
            failedOpen(e);
            return Set.of();
        }
    }

    /**
     * Remembers acknowledged ids for the window: one {@code SET <key> 1 NX PX <window>} per id, all in one pipelined
     * batch (one round trip for a whole request, where one command each cost a round trip's worth of client work per
     * event). Blocking.
     */
    public void remember(List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        String window = Long.toString(config.dedup().window().toMillis());
        List<Request> sets = new ArrayList<>(eventIds.size());
        for (String id : eventIds) {
            sets.add(Request.cmd(Command.SET).arg(prefix + id).arg("1").arg("NX").arg("PX").arg(window));
        }
        try {
            redis.batch(sets).await().atMost(config.dedup().timeout());
        } catch (RuntimeException e) {
            failedOpen(e);
        }
    }

    private void failedOpen(RuntimeException e) {
        unavailable.increment();
        if (warnings.due()) {
            Log.warnf("intake dedup unavailable, events are accepted without it (counted in "
                    + "atelier.pipeline.dedup.unavailable): %s", String.valueOf(e));
        }
    }
}
