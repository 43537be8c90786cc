package io.atelier.content.post;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.atelier.platform.web.SingleLine;

/** What a client sends to create or replace a post. The title is trimmed; the body is kept as written. */
public record PostInput(
        @NotBlank @Size(max = 200) @SingleLine String title,
        @NotNull @Size(min = 1, max = 50_000) String body) {

    public PostInput {
        title = title == null ? null : title.strip();
    }
}
