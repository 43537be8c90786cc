package io.atelier.content.collection;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.atelier.platform.web.SingleLine;

/** What a client sends to create or replace a collection. The name is trimmed; no description is an empty one. */
public record CollectionInput(
        @NotBlank @Size(max = 100) @SingleLine String name,
        @Size(max = 1_000) String description) {

    public CollectionInput {
        name = name == null ? null : name.strip();
        description = description == null ? "" : description;
    }
}
