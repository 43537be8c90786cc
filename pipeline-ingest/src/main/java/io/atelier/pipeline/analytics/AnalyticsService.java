package io.atelier.pipeline.analytics;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.pipeline.analytics.AnalyticsDtos.ActivePoint;
import io.atelier.pipeline.analytics.AnalyticsDtos.ActiveUsers;
import io.atelier.pipeline.analytics.AnalyticsDtos.Counts;
import io.atelier.pipeline.analytics.AnalyticsDtos.Funnel;
import io.atelier.pipeline.analytics.AnalyticsDtos.FunnelStep;
import io.atelier.pipeline.analytics.AnalyticsDtos.Point;
import io.atelier.pipeline.analytics.AnalyticsDtos.Top;
import io.atelier.pipeline.analytics.AnalyticsDtos.TopValue;
import io.atelier.pipeline.analytics.QueryParameters.Field;
import io.atelier.pipeline.analytics.QueryParameters.Interval;
import io.atelier.pipeline.analytics.QueryParameters.Range;
import io.atelier.pipeline.analytics.QueryParameters.Step;
import io.atelier.pipeline.lake.LakeConfig;
import io.atelier.pipeline.lake.LakeFolder;
import io.atelier.pipeline.lake.Manifest;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.Caller;
import io.atelier.platform.web.ServiceBusy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Answers the query API from the lake: the manifest names the live files of the range's days (partition pruning by
 * date before DuckDB opens a file), DuckDB reads them in-process. SQL text is built only from constants and from the
 * server's own file paths; every client value is a bound parameter (docs/pipeline.md, "Query API").
 */
@ApplicationScoped
public class AnalyticsService {

    private static final String PRODUCT = "topic = '" + Topics.EVENTS_ENRICHED + "'";

    /** Who is asking, and whether they see every event or only their own. */
    public record Viewer(String userId, boolean seesAll) {
        public static Viewer of(Caller caller, AnalyticsConfig config) {
            boolean all = config.access() == AnalyticsConfig.Access.ALL || caller.inGroup(config.group());
            return new Viewer(caller.id().toString(), all);
        }
    }

    private final AnalyticsConfig config;
    private final LakeConfig lake;
    private final Manifest manifest;
    private final LakeFolder folder;
    private final QueryPool pool;
    private final MeterRegistry metrics;

    public AnalyticsService(AnalyticsConfig config, LakeConfig lake, Manifest manifest, MeterRegistry metrics) {
        this.config = config;
        this.lake = lake;
        this.manifest = manifest;
        this.folder = new LakeFolder(lake.dir());
        this.metrics = metrics;
        this.pool = new QueryPool(config.connections(), config.threads(), config.memoryLimit(), config.connectionWait());
    }

    @PreDestroy
    void close() {
        pool.close();
    }

    public Counts eventCounts(Viewer viewer, Range range, Interval interval, String eventType, Field groupBy) {
        List<Point> points = fromHours("events-counts", viewer, range, interval, Topics.EVENTS_ENRICHED, eventType, groupBy)
                .orElseGet(() -> eventCountsFromFiles(viewer, range, interval, eventType, groupBy));
        boolean truncated = points.size() > config.maxPoints();
        return new Counts(range.from(), range.to(), interval.sql, null, eventType, groupBy == null ? null : groupBy.name(),
                truncated ? points.subList(0, config.maxPoints()) : points, truncated);
    }

    private List<Point> eventCountsFromFiles(Viewer viewer, Range range, Interval interval, String eventType, Field groupBy) {
        Sql sql = new Sql();
        sql.append("SELECT epoch_ms(" + bucket(interval) + ") AS bucket, ");
        group(sql, groupBy);
        sql.append(" AS grp, count(*) AS n FROM ").source(files(range)).append(" WHERE " + PRODUCT);
        where(sql, viewer, range);
        if (eventType != null) {
            sql.append(" AND type = ?", eventType);
        }
        sql.append(" GROUP BY bucket, grp ORDER BY bucket, grp LIMIT " + (config.maxPoints() + 1));
        return run("events-counts", sql, this::points);
    }

    public Counts domainCounts(Viewer viewer, Range range, Interval interval, String topic, Field groupBy) {
        List<Point> points = fromHours("domain-counts", viewer, range, interval, topic, null, groupBy)
                .orElseGet(() -> domainCountsFromFiles(viewer, range, interval, topic, groupBy));
        boolean truncated = points.size() > config.maxPoints();
        return new Counts(range.from(), range.to(), interval.sql, topic, null, groupBy.name(),
                truncated ? points.subList(0, config.maxPoints()) : points, truncated);
    }

    private List<Point> domainCountsFromFiles(Viewer viewer, Range range, Interval interval, String topic, Field groupBy) {
        Sql sql = new Sql();
        sql.append("SELECT epoch_ms(" + bucket(interval) + ") AS bucket, ");
        group(sql, groupBy);
        sql.append(" AS grp, count(*) AS n FROM ").source(files(range)).append(" WHERE topic = ?", topic);
        where(sql, viewer, range);
        sql.append(" GROUP BY bucket, grp ORDER BY bucket, grp LIMIT " + (config.maxPoints() + 1));
        return run("domain-counts", sql, this::points);
    }

    /**
     * A counts series summed from the manifest's hour counts, when they answer it exactly: the viewer sees every event
     * (the counts know no users), the range is whole hours and the buckets are too, and the group is none, the type
     * or the topic. Empty otherwise, or when a file of the range's days has no hour counts: then the files are read.
     */
    private Optional<List<Point>> fromHours(String endpoint, Viewer viewer, Range range, Interval interval, String topic,
            String eventType, Field groupBy) {
        if (!config.hourCounts() || !viewer.seesAll() || interval == Interval.MINUTE || !wholeHour(range.from())
                || !wholeHour(range.to())) {
            return Optional.empty();
        }
        Manifest.HourGroup group;
        if (groupBy == null) {
            group = Manifest.HourGroup.NONE;
        } else if (!groupBy.isData() && "type".equals(groupBy.column())) {
            group = Manifest.HourGroup.TYPE;
        } else if (!groupBy.isData() && "topic".equals(groupBy.column())) {
            group = Manifest.HourGroup.TOPIC;
        } else {
            return Optional.empty();
        }
        Timer.Sample started = Timer.start();
        String outcome = "ok";
        try {
            Optional<List<Point>> points = manifest.countsFromHours(lake.name(), range.firstDay(), range.lastDay(),
                    LocalDateTime.ofInstant(range.from(), ZoneOffset.UTC), LocalDateTime.ofInstant(range.to(), ZoneOffset.UTC),
                    interval.sql, topic, eventType, group, config.maxPoints() + 1)
                    .map(counts -> counts.stream().map(c -> new Point(c.bucket(), c.group(), c.rows())).toList());
            if (points.isEmpty()) {
                outcome = "uncounted"; // a file from before the hour counts: read the files
            }
            return points;
        } catch (SQLException e) {
            outcome = "error";
            throw new ServiceBusy("The lake's manifest is not reachable.", Duration.ofSeconds(5));
        } finally {
            started.stop(Timer.builder("atelier.pipeline.analytics.query").description("One analytics query")
                    .tag("endpoint", endpoint + "-hours").tag("outcome", outcome).register(metrics));
        }
    }

    private static boolean wholeHour(Instant instant) {
        return instant.getNano() == 0 && instant.getEpochSecond() % 3600 == 0;
    }

    public ActiveUsers activeUsers(Viewer viewer, Range range, Interval interval) {
        Sql sql = new Sql();
        sql.append("SELECT epoch_ms(" + bucket(interval) + ") AS bucket, count(DISTINCT user_id) AS n FROM ")
                .source(files(range)).append(" WHERE " + PRODUCT + " AND user_id IS NOT NULL");
        where(sql, viewer, range);
        sql.append(" GROUP BY bucket ORDER BY bucket");
        List<ActivePoint> points = run("users-active", sql, result -> {
            List<ActivePoint> list = new ArrayList<>();
            while (result.next()) {
                list.add(new ActivePoint(Instant.ofEpochMilli(result.getLong(1)), result.getLong(2)));
            }
            return list;
        });
        return new ActiveUsers(range.from(), range.to(), interval.sql, points);
    }

    public Top top(Viewer viewer, Range range, Field field, String eventType, int limit) {
        Sql sql = new Sql();
        // The filter on the value sits outside the grouping: DuckDB 1.5 applied "HAVING value IS NOT NULL" per file
        // and split a value's groups across files (found by AnalyticsApiTest).
        sql.append("SELECT value, count(*) AS n FROM (SELECT ");
        group(sql, field);
        sql.append(" AS value FROM ").source(files(range)).append(" WHERE " + PRODUCT);
        where(sql, viewer, range);
        if (eventType != null) {
            sql.append(" AND type = ?", eventType);
        }
        sql.append(") WHERE value IS NOT NULL GROUP BY value ORDER BY n DESC, value LIMIT ?", limit);
        List<TopValue> items = run("top", sql, result -> {
            List<TopValue> list = new ArrayList<>();
            while (result.next()) {
                list.add(new TopValue(result.getString(1), result.getLong(2)));
            }
            return list;
        });
        return new Top(range.from(), range.to(), field.name(), eventType, items);
    }

    /**
     * Users reaching each step in order: a user enters at their first event of step 1 in the range; each later step
     * is their first matching event strictly after the previous step's, within {@code within} of entering.
     */
    public Funnel funnel(Viewer viewer, Range range, List<Step> steps, Duration within) {
        Sql sql = new Sql();
        sql.append("WITH ev AS (SELECT user_id, type, json_extract_string(payload, '$.action') AS action, occurred_at FROM ")
                .source(files(range)).append(" WHERE " + PRODUCT + " AND user_id IS NOT NULL");
        where(sql, viewer, range);
        sql.append("), s1 AS (SELECT user_id, min(occurred_at) AS t1, min(occurred_at) AS t FROM ev WHERE ");
        match(sql, "ev", steps.get(0));
        sql.append(" GROUP BY user_id)");
        long withinMicros = within.toNanos() / 1000;
        for (int i = 1; i < steps.size(); i++) {
            String previous = "s" + i;
            sql.append(", s" + (i + 1) + " AS (SELECT p.user_id, p.t1, min(ev.occurred_at) AS t FROM " + previous
                    + " p JOIN ev ON ev.user_id = p.user_id AND ev.occurred_at > p.t"
                    + " AND ev.occurred_at <= p.t1 + to_microseconds(CAST(? AS BIGINT)) AND ", withinMicros);
            match(sql, "ev", steps.get(i));
            sql.append(" GROUP BY p.user_id, p.t1)");
        }
        sql.append(" SELECT ");
        for (int i = 1; i <= steps.size(); i++) {
            sql.append((i == 1 ? "" : ", ") + "(SELECT count(*) FROM s" + i + ")");
        }
        List<Long> counts = run("funnel", sql, result -> {
            List<Long> list = new ArrayList<>();
            result.next();
            for (int i = 1; i <= steps.size(); i++) {
                list.add(result.getLong(i));
            }
            return list;
        });
        List<FunnelStep> answer = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            answer.add(new FunnelStep(steps.get(i).toString(), counts.get(i)));
        }
        return new Funnel(range.from(), range.to(), within.toString(), answer);
    }

    /**
     * The bucket expression. The part is a constant of the Interval enum (never client text), spelled into the SQL so
     * DuckDB folds it once instead of reading a bound parameter for every row.
     */
    private static String bucket(Interval interval) {
        return "date_trunc('" + switch (interval) {
            case MINUTE -> "minute";
            case HOUR -> "hour";
            case DAY -> "day";
            case WEEK -> "week";
            case MONTH -> "month";
        } + "', occurred_at)";
    }

    private static void match(Sql sql, String alias, Step step) {
        sql.append(alias + ".type = ?", step.type());
        if (step.action() != null) {
            sql.append(" AND " + alias + ".action = ?", step.action());
        }
    }

    private static void group(Sql sql, Field field) {
        if (field == null) {
            sql.append("NULL");
        } else if (field.isData()) {
            sql.append("json_extract_string(payload, ?)", field.jsonPath());
        } else {
            // A column name from the fixed allow-list (QueryParameters.field), never the client's text.
            sql.append(switch (field.column()) {
                case "type" -> "type";
                case "source" -> "source";
                case "user_id" -> "user_id";
                case "topic" -> "topic";
                default -> throw new IllegalArgumentException("not a column: " + field.column());
            });
        }
    }

    private static void where(Sql sql, Viewer viewer, Range range) {
        sql.append(" AND occurred_at >= make_timestamp(CAST(? AS BIGINT))", micros(range.from()));
        sql.append(" AND occurred_at < make_timestamp(CAST(? AS BIGINT))", micros(range.to()));
        if (!viewer.seesAll()) {
            sql.append(" AND user_id = ?", viewer.userId());
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    /** The live files of the range's days; null when there are none. */
    private List<Path> files(Range range) {
        try {
            List<Path> files = new ArrayList<>();
            for (Manifest.Entry entry : manifest.live(lake.name(), range.firstDay(), range.lastDay(), null)) {
                if (LakeFolder.DATA_FILE.matcher(entry.path()).matches()) {
                    files.add(folder.resolve(entry.path()));
                }
            }
            return files;
        } catch (SQLException e) {
            throw new ServiceBusy("The lake's manifest is not reachable.", Duration.ofSeconds(5));
        }
    }

    private List<Point> points(ResultSet result) throws SQLException {
        List<Point> points = new ArrayList<>();
        while (result.next()) {
            points.add(new Point(Instant.ofEpochMilli(result.getLong(1)), result.getString(2), result.getLong(3)));
        }
        return points;
    }

    private <T> T run(String endpoint, Sql sql, QueryPool.Reader<T> reader) {
        Timer.Sample started = Timer.start();
        String outcome = "ok";
        try {
            if (sql.empty) {
                // No file in the range: the same query over an empty relation of the lake's columns.
                sql.text.replace(sql.sourceAt, sql.sourceAt + sql.sourceLength, EMPTY);
            }
            return pool.query(sql.text.toString(), sql.parameters, config.queryTimeout(), reader);
        } catch (QueryPool.TooSlow e) {
            outcome = "timeout";
            throw new AnalyticsProblems.QueryTimeout(config.queryTimeout());
        } catch (QueryPool.Saturated e) {
            outcome = "busy";
            throw new ServiceBusy("Every analytics query connection is busy.", Duration.ofSeconds(2));
        } catch (SQLException e) {
            outcome = "error";
            throw new IllegalStateException("analytics query failed", e);
        } finally {
            started.stop(Timer.builder("atelier.pipeline.analytics.query").description("One analytics query")
                    .tag("endpoint", endpoint).tag("outcome", outcome).register(metrics));
        }
    }

    private static final String EMPTY = "(SELECT * FROM (VALUES (NULL::VARCHAR, NULL::VARCHAR, NULL::TIMESTAMP, "
            + "NULL::TIMESTAMP, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::INTEGER, "
            + "NULL::BIGINT, NULL::DATE, NULL::VARCHAR)) AS t(event_id, topic, occurred_at, received_at, user_id, source, "
            + "subject, display_name, payload, kafka_partition, kafka_offset, date, type) WHERE false)";

    /** SQL text and its bound parameters, in order. */
    private static final class Sql {
        final StringBuilder text = new StringBuilder();
        final List<Object> parameters = new ArrayList<>();
        int sourceAt = -1;
        int sourceLength;
        boolean empty;

        Sql append(String part, Object... bound) {
            text.append(part);
            parameters.addAll(List.of(bound));
            return this;
        }

        Sql source(List<Path> files) {
            sourceAt = text.length();
            if (files.isEmpty()) {
                empty = true;
                text.append("$EMPTY$");
            } else {
                text.append("read_parquet([");
                for (int i = 0; i < files.size(); i++) {
                    text.append(i == 0 ? "" : ", ").append(LakeFolder.sqlLiteral(files.get(i)));
                }
                text.append("], hive_partitioning = true, hive_types = {'date': DATE, 'type': VARCHAR})");
            }
            sourceLength = text.length() - sourceAt;
            return this;
        }
    }
}
