package io.atelier.jobs.handler;

/** A payload its handler refuses at submit ({@link JobHandler#vet}); {@code field} is a path below {@code payload}. */
public class InvalidPayload extends RuntimeException {

    private final String field;

    public InvalidPayload(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** E.g. {@code payload.url}. */
    public String field() {
        return field;
    }
}
