package io.atelier.jobs.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job to submit. {@code payload} must satisfy its type's JSON Schema; {@code runAt} absent or past means
 * now; {@code maxAttempts} absent means the type's default; higher {@code priority} runs first among due jobs.
 */
public record JobInput(
        @NotBlank @Size(max = 100) String type,
        @NotNull JsonNode payload,
        Instant runAt,
        @Min(1) Integer maxAttempts,
        @Min(-100) @Max(100) Integer priority,
        UUID projectId) {
}
