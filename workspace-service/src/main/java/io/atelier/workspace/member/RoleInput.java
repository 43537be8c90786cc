package io.atelier.workspace.member;

import jakarta.validation.constraints.NotNull;

import io.atelier.workspace.access.Role;

public record RoleInput(@NotNull Role role) {
}
