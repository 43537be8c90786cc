package io.atelier.pipeline.intake;

/**
 * The answer to one event (202): it is on {@code events.raw}. {@code duplicate}: an event with this id was
 * accepted within the dedup window, so this one was not written again.
 */
public record EventAccepted(String eventId, boolean duplicate) {
}
