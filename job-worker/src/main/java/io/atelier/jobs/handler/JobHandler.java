package io.atelier.jobs.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the jobs of one type. One {@code @ApplicationScoped} class per type; adding a type means adding one
 * such class and its payload schema at {@code jobs/schemas/<type>.json} (docs/jobs.md, "Writing a handler").
 *
 * <p>Execution is at least once: a job whose worker died is run again, so a handler must be idempotent
 * ({@link JobContext#idempotencyKey()} is the same for every attempt of a job). It runs on a virtual thread
 * and may block; when its type's timeout passes it is interrupted, and that attempt counts as failed.
 */
public interface JobHandler {

    /** The job type, e.g. {@code webhook.deliver}: lower-case words joined by dots or dashes. */
    String type();

    /**
     * Checks a payload that its schema already accepted, for rules a schema cannot say (e.g. which hosts a
     * URL may name). Runs at submit, on a worker thread.
     *
     * @throws InvalidPayload naming the payload's field
     */
    default void vet(JsonNode payload) {
    }

    /**
     * Does the job. Returning ends it as {@code SUCCEEDED} with the returned JSON as its result (null for
     * none). Throwing {@link PermanentJobFailure} ends it as {@code FAILED} with no retry; anything else is
     * a transient failure, retried with backoff until its attempts are used up ({@code DEAD}).
     */
    JsonNode run(JobContext job) throws Exception;
}
