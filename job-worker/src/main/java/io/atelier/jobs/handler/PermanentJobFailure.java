package io.atelier.jobs.handler;

/** A failure no retry can fix (bad input, a refused target, a 4xx answer): the job ends {@code FAILED}. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
