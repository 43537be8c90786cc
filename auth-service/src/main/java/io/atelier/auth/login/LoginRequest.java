package io.atelier.auth.login;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.atelier.auth.user.Emails;

public record LoginRequest(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 128) String password) {

    public LoginRequest {
        email = Emails.normalize(email);
    }
}
