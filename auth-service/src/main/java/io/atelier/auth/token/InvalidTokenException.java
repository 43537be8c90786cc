package io.atelier.auth.token;

/** A bearer token that is not one of ours, or no longer valid. The reason stays in the logs, never in the answer. */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(Throwable cause) {
        super("invalid token", cause, false, false);
    }
}
