package io.atelier.pipeline.analytics;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.atelier.pipeline.analytics.AnalyticsDtos.ActiveUsers;
import io.atelier.pipeline.analytics.AnalyticsDtos.Counts;
import io.atelier.pipeline.analytics.AnalyticsDtos.Funnel;
import io.atelier.pipeline.analytics.AnalyticsDtos.Top;
import io.atelier.pipeline.analytics.AnalyticsService.Viewer;
import io.atelier.pipeline.analytics.QueryParameters.Interval;
import io.atelier.pipeline.analytics.QueryParameters.Range;
import io.atelier.pipeline.lake.LakeConfig;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.Problem;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/**
 * Questions over the analytics lake (docs/pipeline.md, "Query API"). A bearer token is required; by default a user
 * sees only their own events, members of the {@code analytics} group every event. DuckDB works on worker threads.
 */
@Path("/api/v1/analytics")
@Authenticated
@Blocking
@Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
public class AnalyticsResource {

    private static final List<String> COUNT_GROUPS = List.of("type", "source");
    private static final List<String> TOP_FIELDS = List.of("type", "source", "user_id");
    private static final EnumSet<Interval> SERIES = EnumSet.of(Interval.MINUTE, Interval.HOUR, Interval.DAY);
    private static final EnumSet<Interval> ACTIVE = EnumSet.of(Interval.HOUR, Interval.DAY, Interval.WEEK, Interval.MONTH);

    private final AnalyticsService analytics;
    private final AnalyticsConfig config;
    private final CurrentCaller caller;
    private final Clock clock;
    private final List<String> domainTopics;

    AnalyticsResource(AnalyticsService analytics, AnalyticsConfig config, LakeConfig lake, CurrentCaller caller, Clock clock) {
        this.analytics = analytics;
        this.config = config;
        this.caller = caller;
        this.clock = clock;
        this.domainTopics = lake.loader().topics().stream().filter(t -> !Topics.EVENTS_ENRICHED.equals(t)).toList();
    }

    @GET
    @Path("/events/counts")
    @Operation(summary = "Product events per minute, hour or day, optionally of one type and grouped by type, source or data.<field>")
    public Counts eventCounts(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("interval") String interval, @QueryParam("eventType") String eventType,
            @QueryParam("groupBy") String groupBy) {
        Range range = range(from, to);
        return analytics.eventCounts(viewer(), range, QueryParameters.interval(interval, Interval.HOUR, SERIES, range,
                config.maxBuckets()), QueryParameters.eventType("eventType", eventType),
                QueryParameters.field("groupBy", groupBy, COUNT_GROUPS, false));
    }

    @GET
    @Path("/users/active")
    @Operation(summary = "Distinct active users per hour, day (DAU), week (WAU) or month")
    public ActiveUsers activeUsers(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("interval") String interval) {
        Range range = range(from, to);
        return analytics.activeUsers(viewer(), range, QueryParameters.interval(interval, Interval.DAY, ACTIVE, range,
                config.maxBuckets()));
    }

    @GET
    @Path("/top")
    @Operation(summary = "The most frequent values of a field (type, source, user_id or data.<field>)")
    public Top top(@QueryParam("field") String field, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("eventType") String eventType) {
        Range range = range(from, to);
        return analytics.top(viewer(), range, QueryParameters.field("field", field, TOP_FIELDS, true),
                QueryParameters.eventType("eventType", eventType), QueryParameters.limit(limit, 10, config.maxLimit()));
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Users reaching each step in order (steps: type or type:action, comma-separated) within a time")
    public Funnel funnel(@QueryParam("steps") String steps, @QueryParam("within") String within,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        Range range = range(from, to);
        return analytics.funnel(viewer(), range, QueryParameters.steps(steps, config.maxFunnelSteps()),
                QueryParameters.within(within, Duration.ofHours(1), config.maxWithin()));
    }

    @GET
    @Path("/domain/counts")
    @Operation(summary = "Domain events of one topic per minute, hour or day, grouped by type (default), source or data.<field>")
    public Counts domainCounts(@QueryParam("topic") String topic, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("interval") String interval, @QueryParam("groupBy") String groupBy) {
        String checkedTopic = QueryParameters.topic(topic, domainTopics);
        Range range = range(from, to);
        QueryParameters.Field group = QueryParameters.field("groupBy", groupBy == null || groupBy.isEmpty() ? "type" : groupBy,
                COUNT_GROUPS, true);
        return analytics.domainCounts(viewer(), range, QueryParameters.interval(interval, Interval.DAY, SERIES, range,
                config.maxBuckets()), checkedTopic, group);
    }

    private Range range(String from, String to) {
        return QueryParameters.range(from, to, clock, config.defaultRange(), config.maxRange());
    }

    private Viewer viewer() {
        return Viewer.of(caller.get(), config);
    }
}
