package io.atelier.workspace.project;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.atelier.platform.web.SingleLine;

/** What a client sends to create or replace a project. The name is trimmed; no description is an empty one. */
public record ProjectInput(
        @NotBlank @Size(max = 100) @SingleLine String name,
        @Size(max = 2_000) String description) {

    public ProjectInput {
        name = name == null ? null : name.strip();
        description = description == null ? "" : description;
    }
}
