package io.atelier.jobs.job;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Jobs to submit at once ({@code POST /api/v1/jobs/batch}): all stored, or none. */
public record JobBatch(@NotNull @Size(min = 1, max = MAX) List<@NotNull @Valid JobInput> jobs) {

    /** The most jobs in one batch (BullMQ's addBulk has no limit; a request must have one). */
    public static final int MAX = 500;
}
