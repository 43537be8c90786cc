package io.atelier.content.collection;

import java.util.UUID;

import jakarta.validation.constraints.NotNull;

public record AddPostInput(@NotNull UUID postId) {
}
