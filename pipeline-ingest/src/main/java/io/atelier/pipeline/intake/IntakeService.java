package io.atelier.pipeline.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.pipeline.dedup.SeenEvents;
import io.atelier.pipeline.publish.EventPublisher;
import io.atelier.pipeline.publish.OutgoingEvent;
import io.atelier.pipeline.schema.CheckedEvent;
import io.atelier.pipeline.schema.EventChecker;
import io.atelier.pipeline.sender.Sender;
import io.atelier.platform.ratelimit.Decision;
import io.atelier.platform.ratelimit.RateLimit;
import io.atelier.platform.ratelimit.RateLimitExceeded;
import io.atelier.platform.ratelimit.RateLimiter;
import io.atelier.platform.web.ServiceBusy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The intake's rules, for one event or a batch alike: who may send what, the rate limit, each event's checks,
 * dedup, and acknowledgement only for what the broker has. Blocking: call it from a virtual or worker thread.
 *
 * <p>Order matters for dedup: ids are looked up before producing, and remembered only after the broker
 * acknowledged, so an id is never remembered for an event that is not on {@code events.raw}.
 */
@ApplicationScoped
@Startup
public class IntakeService {

    private final EventChecker checker;
    private final EventPublisher publisher;
    private final SeenEvents seen;
    private final RateLimiter limiter;
    private final PipelineConfig config;
    private final MeterRegistry metrics;
    private final ObjectMapper mapper;
    private final RateLimit userLimit;
    private final RateLimit keyLimit;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    IntakeService(EventChecker checker, EventPublisher publisher, SeenEvents seen, RateLimiter limiter,
            PipelineConfig config, MeterRegistry metrics, ObjectMapper mapper) {
        this.checker = checker;
        this.publisher = publisher;
        this.seen = seen;
        this.limiter = limiter;
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
        var user = config.rateLimits().user();
        var key = config.rateLimits().writeKey();
        this.userLimit = limit("user", "events-user", user.permits(), user.period(), user.burst());
        this.keyLimit = limit("write-key", "events-write-key", key.permits(), key.period(), key.burst());
        int batch = config.limits().maxBatchEvents();
        if (user.burst() < batch || key.burst() < batch) {
            throw new IllegalStateException("atelier.pipeline.rate-limits.*.burst must be at least "
                    + "atelier.pipeline.limits.max-batch-events (" + batch + "), or a full batch could never pass");
        }
        if (config.kafka().maxPendingEvents() < batch) {
            throw new IllegalStateException("atelier.pipeline.kafka.max-pending-events must be at least "
                    + "atelier.pipeline.limits.max-batch-events (" + batch + "), or a full batch could never be sent");
        }
    }

    /**
     * A configured rate limit, or a start-up failure naming its settings: the limiter works in whole microseconds
     * within a year's window, so e.g. a million permits per second, or a burst spanning more than a year, cannot be
     * represented. (This bean is built at start, {@code @Startup}, so such a setting stops the start instead of
     * answering every request with a 500.)
     */
    static RateLimit limit(String setting, String name, long permits, Duration period, long burst) {
        try {
            return RateLimit.of(name, permits, period).withBurst(burst);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("atelier.pipeline.rate-limits." + setting + ".permits/period/burst ("
                    + permits + " per " + period + ", burst " + burst + ") is outside what the rate limiter can "
                    + "represent: " + e.getMessage(), e);
        }
    }

    /** What became of each event of one request. */
    public record Outcome(List<Integer> accepted, List<Integer> duplicates, List<BatchResult.Rejected> rejected,
            List<CheckedEvent> checked) {
    }

    public Outcome intake(Sender sender, List<JsonNode> events) {
        // Who may send what, before anything is counted or written: a user sends only their own events.
        if (sender instanceof Sender.User user) {
            for (JsonNode event : events) {
                ObjectNode canonical = EventChecker.canonical(event);
                JsonNode userId = canonical == null ? null : canonical.get("user_id");
                if (userId != null && userId.isTextual() && !userId.asText().equals(user.id().toString())) {
                    throw new IntakeProblems.NotYourEvents();
                }
            }
        }
        RateLimit limit = sender instanceof Sender.User ? userLimit : keyLimit;
        Decision decision = limiter.acquire(limit, sender.subject(), events.size());
        if (!decision.allowed()) {
            throw new RateLimitExceeded("Too many events from this sender; try again later.", decision);
        }

        List<CheckedEvent> checked = new ArrayList<>(events.size());
        List<Integer> accepted = new ArrayList<>();
        List<Integer> duplicates = new ArrayList<>();
        List<BatchResult.Rejected> rejected = new ArrayList<>();
        List<Integer> candidates = new ArrayList<>();
        Set<String> idsInBatch = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            CheckedEvent event = checker.check(events.get(i));
            if (event.valid() && sender instanceof Sender.User user && event.userId() == null) {
                ObjectNode filled = (ObjectNode) event.event();
                filled.put("user_id", user.id().toString());
                event = new CheckedEvent(filled, event.timestamp(), event.errors(), false, json(filled));
            }
            checked.add(event);
            if (!event.valid()) {
                rejected.add(new BatchResult.Rejected(i, event.eventId(), event.errors()));
                publisher.reject(invalidRecord(i, event), event.eventId(), sender.subject());
            } else if (!idsInBatch.add(event.eventId())) {
                duplicates.add(i);
            } else {
                candidates.add(i);
            }
        }

        Set<String> known = seen.seen(candidates.stream().map(i -> checked.get(i).eventId()).toList());
        List<Integer> toSend = new ArrayList<>();
        for (int i : candidates) {
            (known.contains(checked.get(i).eventId()) ? duplicates : toSend).add(i);
        }
        List<OutgoingEvent> outgoing = toSend.stream().map(i -> outgoing(checked.get(i))).toList();
        List<Boolean> acked = publisher.publish(outgoing, sender.subject());
        List<String> ackedIds = new ArrayList<>();
        boolean allAcked = true;
        for (int n = 0; n < toSend.size(); n++) {
            if (acked.get(n)) {
                accepted.add(toSend.get(n));
                ackedIds.add(outgoing.get(n).eventId());
            } else {
                allAcked = false;
            }
        }
        seen.remember(ackedIds);
        count("rejected", sender, rejected.stream().map(BatchResult.Rejected::index).toList(), checked);
        count("accepted", sender, accepted, checked);
        count("duplicate", sender, duplicates, checked);
        if (!allAcked) {
            // Never a success for an event the broker does not have. What it did acknowledge is remembered, so
            // the client's retry of the whole request gets those as duplicates.
            counter("unavailable", sender, "unknown").increment(toSend.size() - ackedIds.size());
            throw new ServiceBusy("The event store did not take the events in time; send them again later.",
                    config.kafka().retryAfter());
        }
        return new Outcome(accepted, duplicates, rejected, checked);
    }

    private OutgoingEvent outgoing(CheckedEvent event) {
        String key = event.userId() != null ? event.userId() : event.eventId();
        return new OutgoingEvent(event.eventId(), event.eventType(), event.timestamp(), key, event.json());
    }

    /** The record on events.invalid: the reasons, where it was in its request, and the event as far as it was read. */
    private String invalidRecord(int index, CheckedEvent event) {
        ObjectNode record = mapper.createObjectNode();
        record.put("index", index);
        record.set("errors", mapper.valueToTree(event.errors()));
        record.set("event", event.event());
        record.put("event_too_large", event.tooLarge());
        return json(record);
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed event cannot be written back", e);
        }
    }

    /** Counts the events at these indexes by type, one counter increment per type (not one per event). */
    private void count(String outcome, Sender sender, List<Integer> indexes, List<CheckedEvent> checked) {
        if (indexes.isEmpty()) {
            return;
        }
        Map<String, Integer> byType = new HashMap<>(4);
        for (int i : indexes) {
            byType.merge(typeTag(checked.get(i)), 1, Integer::sum);
        }
        byType.forEach((type, n) -> counter(outcome, sender, type).increment(n));
    }

    /** Only known types become tag values: a client's made-up type must not grow the metric without end. */
    private String typeTag(CheckedEvent event) {
        String type = event.eventType();
        return type != null && checker.schemas().types().contains(type) ? type : "unknown";
    }

    private Counter counter(String outcome, Sender sender, String type) {
        String source = sender.metricTag();
        return counters.computeIfAbsent(outcome + '|' + source + '|' + type, k -> Counter.builder("atelier.pipeline.events")
                .description("Events by what became of them").tag("outcome", outcome).tag("source", source)
                .tag("type", type).register(metrics));
    }
}
