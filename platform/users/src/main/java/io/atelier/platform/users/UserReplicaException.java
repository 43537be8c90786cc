package io.atelier.platform.users;

/** The replica's table could not be read or written (the cause says why). */
public class UserReplicaException extends RuntimeException {

    public UserReplicaException(String message, Throwable cause) {
        super(message, cause);
    }
}
