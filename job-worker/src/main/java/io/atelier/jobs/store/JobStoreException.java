package io.atelier.jobs.store;

/** PostgreSQL refused or failed a job statement (an outage, not a client's error: a 500, or a worker retrying). */
public class JobStoreException extends RuntimeException {

    public JobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
