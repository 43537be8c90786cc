package io.atelier.pipeline.analytics;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the query API answers. */
public final class AnalyticsDtos {

    private AnalyticsDtos() {
    }

    /** One bucket of a series; {@code group} is the value of {@code groupBy} (absent without it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(Instant bucket, String group, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Counts(Instant from, Instant to, String interval, String topic, String eventType, String groupBy,
            List<Point> points, boolean truncated) {
    }

    public record ActivePoint(Instant bucket, long users) {
    }

    public record ActiveUsers(Instant from, Instant to, String interval, List<ActivePoint> points) {
    }

    public record TopValue(String value, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Top(Instant from, Instant to, String field, String eventType, List<TopValue> items) {
    }

    public record FunnelStep(String step, long users) {
    }

    public record Funnel(Instant from, Instant to, String within, List<FunnelStep> steps) {
    }
}
