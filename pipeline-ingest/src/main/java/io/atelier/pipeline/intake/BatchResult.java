package io.atelier.pipeline.intake;

import java.util.List;

import io.atelier.platform.web.Problem;

/**
 * The answer to a batch (200): how many events are now on {@code events.raw}, how many were duplicates of events
 * accepted before (not written again), and each rejected event with its index in the batch and its errors.
 */
public record BatchResult(int accepted, int duplicates, List<Rejected> rejected) {

    public record Rejected(int index, String eventId, List<Problem.FieldError> errors) {
    }
}
