package io.atelier.pipeline.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.atelier.platform.web.InvalidParameter;

/**
 * The query API's parameters, read as text and checked against strict syntax: every value that reaches SQL is either
 * one of a fixed set (intervals, fields) or bound as a parameter. A bad value is a 400 naming the parameter.
 */
public final class QueryParameters {

    private static final int MAX_TEXT = 200;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern STEP_VALUE = Pattern.compile("[A-Za-z0-9_./-]{1,128}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    /** A half-open range of time {@code [from, to)}. */
    public record Range(Instant from, Instant to) {
        public LocalDate firstDay() {
            return LocalDate.ofInstant(from, ZoneOffset.UTC);
        }

        public LocalDate lastDay() {
            return LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        }
    }

    /** A series' bucket size; {@code sql} is DuckDB's date_trunc part (a constant, never client text). */
    public enum Interval {
        MINUTE("minute", Duration.ofMinutes(1)), HOUR("hour", Duration.ofHours(1)), DAY("day", Duration.ofDays(1)),
        WEEK("week", Duration.ofDays(7)), MONTH("month", Duration.ofDays(28));

        public final String sql;
        public final Duration length;

        Interval(String sql, Duration length) {
            this.sql = sql;
            this.length = length;
        }
    }

    /**
     * A column to count or group by: one of the row's own columns, or {@code data.<identifier>}, a top-level field of
     * the payload (the event's {@code data}, a domain event's payload), read as text.
     */
    public record Field(String name, String column, String jsonPath) {
        public boolean isData() {
            return jsonPath != null;
        }
    }

    /** A funnel step: an event type, optionally with the value its {@code data.action} must have. */
    public record Step(String type, String action) {
        @Override
        public String toString() {
            return action == null ? type : type + ":" + action;
        }
    }

    private QueryParameters() {
    }

    public static Range range(String fromText, String toText, Clock clock, Duration defaultRange, Duration maxRange) {
        Instant to = toText == null || toText.isEmpty() ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : instant("to", toText);
        Instant from = fromText == null || fromText.isEmpty() ? to.minus(defaultRange) : instant("from", fromText);
        if (!from.isBefore(to)) {
            throw new InvalidParameter("from", "must be before 'to'");
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw new InvalidParameter("to", "must be at most " + maxRange.toDays() + " days after 'from'");
        }
        return new Range(from, to);
    }

    /** An ISO-8601 instant ({@code 2026-12-01T10:00:00Z}, any offset) or a date ({@code 2026-12-01}, midnight UTC). */
    static Instant instant(String name, String text) {
        if (text.length() > 40) {
            throw new InvalidParameter(name, "must be an ISO-8601 time such as 2026-12-01T00:00:00Z or a date such as 2026-12-01");
        }
        try {
            if (DATE.matcher(text).matches()) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant instant = Instant.parse(text);
            if (instant.isBefore(Instant.parse("1970-01-01T00:00:00Z")) || instant.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) {
                throw new InvalidParameter(name, "must be between 1970 and 9999");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(name, "must be an ISO-8601 time such as 2026-12-01T00:00:00Z or a date such as 2026-12-01");
        }
    }

    public static Interval interval(String text, Interval fallback, Set<Interval> allowed, Range range, int maxBuckets) {
        Interval interval = fallback;
        if (text != null && !text.isEmpty()) {
            interval = null;
            for (Interval candidate : allowed) {
                if (candidate.sql.equals(text)) {
                    interval = candidate;
                }
            }
            if (interval == null) {
                throw new InvalidParameter("interval", "must be one of " + allowed.stream().map(i -> i.sql).toList());
            }
        }
        long buckets = Duration.between(range.from(), range.to()).toSeconds() / interval.length.toSeconds() + 1;
        if (buckets > maxBuckets) {
            throw new InvalidParameter("interval", "gives " + buckets + " buckets over this range; at most " + maxBuckets
                    + " (choose a longer interval or a shorter range)");
        }
        return interval;
    }

    /** A field among {@code columns} (name to SQL column, all fixed here) or {@code data.<identifier>}. */
    public static Field field(String parameter, String text, List<String> columns, boolean required) {
        if (text == null || text.isEmpty()) {
            if (required) {
                throw new InvalidParameter(parameter, "is required");
            }
            return null;
        }
        if (text.length() <= 70 && text.startsWith("data.") && IDENTIFIER.matcher(text.substring(5)).matches()) {
            return new Field(text, null, "$." + text.substring(5));
        }
        if (columns.contains(text)) {
            return new Field(text, text, null);
        }
        throw new InvalidParameter(parameter, "must be one of " + columns + " or data.<name> (letters, digits, '_')");
    }

    public static String eventType(String parameter, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (!EVENT_TYPE.matcher(text).matches()) {
            throw new InvalidParameter(parameter, "must be an event type ([a-z][a-z0-9_]{0,63})");
        }
        return text;
    }

    public static String topic(String text, List<String> topics) {
        if (text == null || text.isEmpty()) {
            throw new InvalidParameter("topic", "is required: one of " + topics);
        }
        if (!topics.contains(text)) {
            throw new InvalidParameter("topic", "must be one of " + topics);
        }
        return text;
    }

    /** {@code type[:action],type[:action],...}: 2 to {@code max} steps. */
    public static List<Step> steps(String text, int max) {
        if (text == null || text.isEmpty()) {
            throw new InvalidParameter("steps", "is required: 2 to " + max + " event types, comma-separated (type or type:action)");
        }
        if (text.length() > MAX_TEXT * max) {
            throw new InvalidParameter("steps", "is too long");
        }
        String[] parts = text.split(",", -1);
        if (parts.length < 2 || parts.length > max) {
            throw new InvalidParameter("steps", "must name 2 to " + max + " steps");
        }
        List<Step> steps = new ArrayList<>();
        for (String part : parts) {
            int colon = part.indexOf(':');
            String type = colon < 0 ? part : part.substring(0, colon);
            String action = colon < 0 ? null : part.substring(colon + 1);
            if (!EVENT_TYPE.matcher(type).matches() || (action != null && !STEP_VALUE.matcher(action).matches())) {
                throw new InvalidParameter("steps", "each step is an event type, optionally ':' and a data.action value "
                        + "(letters, digits, '_', '.', '/', '-')");
            }
            steps.add(new Step(type, action));
        }
        return steps;
    }

    /** {@code 30m}, {@code 1h}, {@code 7d} or ISO-8601 ({@code PT1H}); positive, at most {@code max}. */
    public static Duration within(String text, Duration fallback, Duration max) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        Duration duration;
        Matcher shortForm = SHORT_DURATION.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            duration = switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                duration = text.length() > 30 ? null : Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(max) > 0) {
            throw new InvalidParameter("within", "must be a duration such as 30m, 1h or 7d, at most " + max.toDays() + " days");
        }
        return duration;
    }

    public static int limit(String text, int fallback, int max) {
        return io.atelier.platform.web.QueryParams.limit(text, fallback, max);
    }
}
