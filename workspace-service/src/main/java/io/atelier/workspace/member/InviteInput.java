package io.atelier.workspace.member;

import java.util.UUID;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.atelier.workspace.access.Role;

/** Who to add, by exactly one of {@code email} (trimmed) and {@code userId}, and with which role. */
public record InviteInput(@Email @Size(max = 254) String email, UUID userId, @NotNull Role role) {

    public InviteInput {
        email = email == null ? null : email.strip();
    }
}
