package io.atelier.pipeline.intake;

import java.util.List;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** What the intake refuses (docs/problems.md and docs/pipeline.md). */
public final class IntakeProblems {

    public static final ProblemType EVENT_TOO_LARGE = ProblemType.of("event-too-large", 413, "Event too large");
    public static final ProblemType TOO_MANY_EVENTS = ProblemType.of("too-many-events", 413, "Too many events");

    private IntakeProblems() {
    }

    /** 400 naming each field of the event that breaks a rule. */
    public static final class InvalidEvent extends ProblemException {
        public InvalidEvent(List<Problem.FieldError> errors) {
            super(ProblemType.VALIDATION, errors.size() == 1 ? "Field '" + errors.get(0).field() + "' "
                    + errors.get(0).message() + "." : "The event breaks " + errors.size() + " rules.");
            withErrors(errors);
        }
    }

    public static final class EventTooLarge extends ProblemException {
        public EventTooLarge(int maxBytes) {
            super(EVENT_TOO_LARGE, "The event is larger than " + maxBytes + " bytes of JSON (atelier.pipeline.limits.max-event-bytes).");
        }
    }

    public static final class TooManyEvents extends ProblemException {
        public TooManyEvents(int count, int max) {
            super(TOO_MANY_EVENTS, "The batch holds " + count + " events; at most " + max
                    + " are accepted at once (atelier.pipeline.limits.max-batch-events).");
        }
    }

    /**
     * A body over the batch limit that did not declare its length (chunked): the same problem platform/web answers
     * for a declared one, so a client sees one kind of "body too large" however it sent the body.
     */
    public static final class BatchTooLarge extends ProblemException {
        public BatchTooLarge(int maxBytes) {
            super(ProblemType.http(413), "The request body is larger than " + maxBytes + " bytes.");
        }
    }

    /** 403: a signed-in user may send only their own events. */
    public static final class NotYourEvents extends ProblemException {
        public NotYourEvents() {
            super(ProblemType.http(403), "An access token may send only its own user's events: leave user_id out or"
                    + " give your own id.");
        }
    }

    /** 400 for a body that is JSON but not the shape asked for. */
    public static final class MalformedBatch extends ProblemException {
        public MalformedBatch(String field, String message) {
            super(ProblemType.VALIDATION, "Field '" + field + "' " + message + ".");
            withErrors(List.of(new Problem.FieldError(field, message)));
        }
    }
}
