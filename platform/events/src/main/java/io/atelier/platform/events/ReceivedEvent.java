package io.atelier.platform.events;

import java.time.ZonedDateTime;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * The CloudEvents attributes of a consumed Kafka record (binary mode: {@code ce_*} headers).
 * Consumers dedupe on {@link #id()}; a record without CloudEvents metadata is rejected, not guessed at.
 */
public record ReceivedEvent(String id, String type, String source, String subject, ZonedDateTime time) {

    public static ReceivedEvent of(Message<?> message) {
        IncomingCloudEventMetadata<?> ce = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElseThrow(() -> new NotACloudEventException("record carries no CloudEvents attributes"));
        return new ReceivedEvent(ce.getId(), ce.getType(), ce.getSource().toString(),
                ce.getSubject().orElse(null), ce.getTimeStamp().orElse(null));
    }

    /** A record on an Atelier topic that is not a CloudEvent: a producer bug, never retried. */
    public static final class NotACloudEventException extends IllegalArgumentException {
        public NotACloudEventException(String message) {
            super(message);
        }
    }
}
