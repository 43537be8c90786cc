package io.atelier.platform.events.auth;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads the payload of {@code auth.user.created} and {@code auth.user.updated} into the user's state: the one
 * reading of auth-service's user events for every service that keeps users (platform/users' replica in
 * PostgreSQL, pipeline-ingest's profile cache in Redis), through {@link UserEventFeed}.
 */
public final class UserEventReader {

    /** Far above auth-service's own limits (254 for an email, 100 for a name): a guard, not a policy. */
    public static final int MAX_TEXT = 1_000;

    private final ObjectReader created;
    private final ObjectReader updated;

    public UserEventReader(ObjectMapper json) {
        // Another service's events: a field auth-service adds later is ignored, never a reason to drop the
        // event (a service's mapper may be strict about unknown fields, platform/web's is).
        this.created = json.readerFor(UserCreated.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.updated = json.readerFor(UserUpdated.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Whether the replica applies events of this type; it acknowledges and ignores all others. */
    public static boolean replicates(String type) {
        return UserCreated.TYPE.equals(type) || UserUpdated.TYPE.equals(type);
    }

    /**
     * @param type a type {@link #replicates} accepts
     * @throws UnreadableEvent when the payload is not that event or lacks what the replica stores; the
     *         message names the field at fault, never a value
     */
    public UserState read(String type, String payload) throws UnreadableEvent {
        if (payload == null) {
            throw new UnreadableEvent("no payload");
        }
        return switch (type) {
            case UserCreated.TYPE -> {
                UserCreated event = parse(created, type, payload);
                yield checked(event.id(), event.email(), event.displayName(), event.createdAt(), true);
            }
            case UserUpdated.TYPE -> {
                UserUpdated event = parse(updated, type, payload);
                yield checked(event.id(), event.email(), event.displayName(), event.updatedAt(), false);
            }
            default -> throw new IllegalArgumentException("not a replicated event type: " + type);
        };
    }

    private static <T> T parse(ObjectReader reader, String type, String payload) throws UnreadableEvent {
        try {
            T event = reader.readValue(payload);
            if (event == null) {
                throw new UnreadableEvent("payload is null");
            }
            return event;
        } catch (IOException e) {
            // Jackson's message quotes the payload: only its kind is worth a log line.
            throw new UnreadableEvent("payload is not a readable " + type + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static UserState checked(UUID id, String email, String displayName, Instant time, boolean created)
            throws UnreadableEvent {
        if (id == null) {
            throw new UnreadableEvent("no id");
        }
        // auth-service's rule, repeated rather than depended on: emails are compared trimmed and lower-cased.
        String normalized = email == null ? null : email.strip().toLowerCase(Locale.ROOT);
        text("email", normalized);
        text("displayName", displayName);
        if (time == null) {
            throw new UnreadableEvent("no time (createdAt/updatedAt)");
        }
        return new UserState(id, normalized, displayName, time, created);
    }

    private static void text(String field, String value) throws UnreadableEvent {
        if (value == null || value.isBlank()) {
            throw new UnreadableEvent("no " + field);
        }
        // PostgreSQL's text cannot hold NUL: such an event could never be stored (and no store wants it).
        if (value.length() > MAX_TEXT || value.indexOf('\0') >= 0) {
            throw new UnreadableEvent(field + " cannot be stored");
        }
    }

    /** An event the replica cannot use; retrying will not change that. */
    public static final class UnreadableEvent extends Exception {
        public UnreadableEvent(String reason) {
            super(reason, null, false, false);
        }
    }
}
